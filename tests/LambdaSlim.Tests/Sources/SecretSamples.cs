namespace LambdaSlim.Tests.Sources;

/// <summary>Key material shaped like the real thing (made-up bytes), for tests that check what ships.</summary>
internal static class SecretSamples
{
    internal const string PrivateKey = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDn8P4Qm1vJYm3ohKqk9b8rS0oJ8bZlqM6b0pWmEwV3ZQAAAJg3fHNmN3xz
        -----END OPENSSH PRIVATE KEY-----

        """;

    internal const string Certificate = """
        -----BEGIN CERTIFICATE-----
        MIIFazCCA1OgAwIBAgIRAIIQz7DSQONZRGPgu2OCiwAwDQYJKoZIhvcNAQELBQAwTzEL
        MAkGA1UEBhMCVVMxKTAnBgNVBAoTIEludGVybmV0IFNlY3VyaXR5IFJlc2VhcmNoIEdy
        -----END CERTIFICATE-----

        """;
}
