using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Crc32 = System.IO.Hashing.Crc32;

namespace LambdaSlim.Package;

public enum ZipCompression { Optimal, Smallest, Fastest }
