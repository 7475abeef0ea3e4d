namespace LambdaSlim.Model;

public enum Architecture { X86_64, Arm64 }

