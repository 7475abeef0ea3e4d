namespace LambdaSlim;

public interface IProgressStep : IDisposable
{
    void Report(long done, string? status = null);
    void Status(string status);
}
