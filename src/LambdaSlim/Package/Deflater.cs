using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace LambdaSlim.Package;

/// <summary>
/// Raw deflate for zip entries. libdeflate (Debian's libdeflate0, Homebrew's libdeflate) is used when present:
/// on the data-science layer it is both faster and smaller than .NET's zlib-ng at the same level. Without it,
/// .NET's DeflateStream. Zip bytes are a function of the inputs and the compressor, so report.json names it.
/// Set LAMBDASLIM_COMPRESSOR=dotnet to force the built-in one.
/// </summary>
public abstract partial class Deflater
{
    public abstract string Name { get; }

    /// <summary>Compresses into a pooled array; returns the length, or -1 when the data does not shrink.</summary>
    public abstract int Compress(ReadOnlySpan<byte> input, ZipCompression compression, out byte[] output);

    private static readonly Lazy<Deflater> Best = new(() =>
        Environment.GetEnvironmentVariable("LAMBDASLIM_COMPRESSOR") is "dotnet" ? new DotNetDeflater() : LibDeflater.TryCreate() ?? (Deflater)new DotNetDeflater());

    public static Deflater Default => Best.Value;

    public static Deflater DotNet { get; } = new DotNetDeflater();

    private sealed class DotNetDeflater : Deflater
    {
        public override string Name => $"zlib-ng (.NET {Environment.Version})";

        public override int Compress(ReadOnlySpan<byte> input, ZipCompression compression, out byte[] output)
        {
            var level = compression switch
            {
                ZipCompression.Smallest => CompressionLevel.SmallestSize,
                ZipCompression.Fastest => CompressionLevel.Fastest,
                _ => CompressionLevel.Optimal,
            };
            var buffer = new PooledBuffer(input.Length / 2 + 64);
            using (var deflate = new DeflateStream(buffer, level, leaveOpen: true)) deflate.Write(input);
            output = buffer.Array;
            if (buffer.Length < input.Length) return (int)buffer.Length;
            ArrayPool<byte>.Shared.Return(output);
            output = [];
            return -1;
        }
    }

    private sealed partial class LibDeflater : Deflater
    {
        private const string Library = "libdeflate";
        private readonly ConcurrentDictionary<int, ConcurrentBag<IntPtr>> _compressors = new();
        private readonly string _name;

        private LibDeflater(string name) => _name = name;

        public override string Name => _name;

        public static LibDeflater? TryCreate()
        {
            foreach (var candidate in new[] { "libdeflate.so.0", "libdeflate.so", "libdeflate.dylib", "libdeflate.0.dylib", "libdeflate.dll" })
            {
                if (!NativeLibrary.TryLoad(candidate, typeof(Deflater).Assembly, null, out var handle)) continue;
                NativeLibrary.SetDllImportResolver(typeof(Deflater).Assembly, (name, _, _) => name == Library ? handle : IntPtr.Zero);
                return new LibDeflater($"libdeflate ({candidate})");
            }
            return null;
        }

        // libdeflate levels: 6 is its default; 9 is as far as it stays quick enough for a layer.
        private static int Level(ZipCompression c) => c switch { ZipCompression.Smallest => 9, ZipCompression.Fastest => 1, _ => 6 };

        public override int Compress(ReadOnlySpan<byte> input, ZipCompression compression, out byte[] output)
        {
            var level = Level(compression);
            var bag = _compressors.GetOrAdd(level, _ => []);
            if (!bag.TryTake(out var compressor)) compressor = libdeflate_alloc_compressor(level);
            if (compressor == IntPtr.Zero) throw new OutOfMemoryException("libdeflate_alloc_compressor failed");
            try
            {
                // Anything not smaller than the input is stored instead, so the output never needs more room.
                output = ArrayPool<byte>.Shared.Rent(Math.Max(input.Length, 1));
                nuint written;
                unsafe
                {
                    fixed (byte* src = input)
                    fixed (byte* dst = output)
                        written = libdeflate_deflate_compress(compressor, src, (nuint)input.Length, dst, (nuint)Math.Max(input.Length - 1, 0));
                }
                if (written > 0) return (int)written;
                ArrayPool<byte>.Shared.Return(output);
                output = [];
                return -1;
            }
            finally
            {
                bag.Add(compressor);
            }
        }

        [LibraryImport(Library)]
        private static partial IntPtr libdeflate_alloc_compressor(int level);

        [LibraryImport(Library)]
        private static unsafe partial nuint libdeflate_deflate_compress(IntPtr compressor, byte* input, nuint inSize, byte* output, nuint outSize);
    }

    /// <summary>A write-only growable stream over pooled arrays.</summary>
    private sealed class PooledBuffer(int initialCapacity) : Stream
    {
        public byte[] Array { get; private set; } = ArrayPool<byte>.Shared.Rent(initialCapacity);
        private int _length;

        public override long Length => _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_length + buffer.Length > Array.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Array.Length * 2, _length + buffer.Length));
                Array.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(Array);
                Array = bigger;
            }
            buffer.CopyTo(Array.AsSpan(_length));
            _length += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
