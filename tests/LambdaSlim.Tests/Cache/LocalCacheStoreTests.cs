using System.Security.Cryptography;
using LambdaSlim.Cache;
using LambdaSlim.IO;

namespace LambdaSlim.Tests.Cache;

public class LocalCacheStoreTests
{
    private static readonly CacheKey Key = new("00112233445566778899aabbccddeeff");

    private sealed record Machine(string Work, ICacheStore Store, RecordingObserver Observer);

    /// <summary>A "machine": its own work folder and a store over the shared cache folder.</summary>
    private static Machine NewMachine(string cache)
    {
        var observer = new RecordingObserver();
        return new(TestEnvironment.NewTempDir("machine"), CacheStore.Open(CacheLocation.Parse(cache), observer), observer);
    }

    private static string WriteFile(string dir, string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string EntryFile(string cache) => Directory.GetFiles(cache).ShouldHaveSingleItem();

    [Fact]
    public async Task A_put_file_comes_back_byte_for_byte_and_names_its_sha256()
    {
        var cache = Path.Combine(TestEnvironment.NewTempDir("cache"), "shared");
        var m = NewMachine(cache);
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        (await m.Store.PutAsync(Key, WriteFile(m.Work, "layer.zip", bytes))).ShouldBeTrue();

        Path.GetFileName(EntryFile(cache)).ShouldBe($"{Key}.{Convert.ToHexStringLower(SHA256.HashData(bytes))}");
        var back = Path.Combine(m.Work, "back.zip");
        (await m.Store.TryGetAsync(Key, back)).ShouldBeTrue();
        (await File.ReadAllBytesAsync(back)).ShouldBe(bytes);
        (await m.Store.TryGetAsync(new CacheKey("ffffffffffffffff"), Path.Combine(m.Work, "none"))).ShouldBeFalse();
        File.Exists(Path.Combine(m.Work, "none")).ShouldBeFalse();
        m.Observer.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task Two_machines_sharing_a_folder_see_each_others_entries_and_a_second_put_replaces_the_first()
    {
        var cache = TestEnvironment.NewTempDir("cache");
        var a = NewMachine(cache);
        var b = NewMachine(cache);
        await a.Store.PutAsync(Key, WriteFile(a.Work, "v1", [1, 2, 3]));
        (await b.Store.TryGetAsync(Key, Path.Combine(b.Work, "got"))).ShouldBeTrue();
        (await File.ReadAllBytesAsync(Path.Combine(b.Work, "got"))).ShouldBe([1, 2, 3]);

        await b.Store.PutAsync(Key, WriteFile(b.Work, "v2", [4, 5]));
        EntryFile(cache); // the old entry is gone, not kept beside the new one
        (await a.Store.TryGetAsync(Key, Path.Combine(a.Work, "got"))).ShouldBeTrue();
        (await File.ReadAllBytesAsync(Path.Combine(a.Work, "got"))).ShouldBe([4, 5]);
        (await a.Store.ListAsync()).ShouldHaveSingleItem().Bytes.ShouldBe(2);
    }

    [Theory]
    [InlineData("corrupted")]
    [InlineData("truncated")]
    public async Task A_damaged_entry_is_a_miss_with_a_warning_and_the_next_put_repairs_it(string damage)
    {
        var cache = TestEnvironment.NewTempDir("cache");
        var m = NewMachine(cache);
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var source = WriteFile(m.Work, "layer.zip", bytes);
        await m.Store.PutAsync(Key, source);
        var entry = EntryFile(cache);
        if (damage == "corrupted")
        {
            var other = (byte[])bytes.Clone();
            other[5000] ^= 0xff;
            File.WriteAllBytes(entry, other);
        }
        else File.WriteAllBytes(entry, bytes[..50_000]);

        var destination = Path.Combine(m.Work, "got.zip");
        (await m.Store.TryGetAsync(Key, destination)).ShouldBeFalse();
        File.Exists(destination).ShouldBeFalse("a damaged entry leaves no file behind");
        m.Observer.Warnings.ShouldHaveSingleItem().ShouldContain($"cache entry {Key}");
        m.Observer.Warnings[0].ShouldContain("corrupted");
        Directory.GetFiles(cache).ShouldBeEmpty("the damaged entry is removed");

        (await m.Store.PutAsync(Key, source)).ShouldBeTrue();
        (await m.Store.TryGetAsync(Key, destination)).ShouldBeTrue();
        (await File.ReadAllBytesAsync(destination)).ShouldBe(bytes);
    }

    [Fact]
    public async Task A_put_over_a_damaged_entry_of_the_same_name_writes_it_whole_again()
    {
        var cache = TestEnvironment.NewTempDir("cache");
        var m = NewMachine(cache);
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var source = WriteFile(m.Work, "layer.zip", bytes);
        await m.Store.PutAsync(Key, source);
        File.WriteAllBytes(EntryFile(cache), bytes[..5_000]);

        await m.Store.PutAsync(Key, source);
        (await File.ReadAllBytesAsync(EntryFile(cache))).ShouldBe(bytes);
    }

    [Fact]
    public async Task Writes_go_through_the_write_boundary()
    {
        var cache = TestEnvironment.NewTempDir("cache");
        var m = NewMachine(cache);
        var source = WriteFile(m.Work, "x", [1]);
        using (WriteBoundary.Allow(m.Work))
            (await Should.ThrowAsync<LambdaSlimException>(() => m.Store.PutAsync(Key, source))).OneLine.ShouldContain("refusing to write");
        Directory.GetFiles(cache).ShouldBeEmpty();
        using (WriteBoundary.Allow([m.Work, .. m.Store.Location.WriteRoots]))
            (await m.Store.PutAsync(Key, source)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_listing_is_oldest_first_and_ignores_files_that_are_not_entries()
    {
        var cache = TestEnvironment.NewTempDir("cache");
        var m = NewMachine(cache);
        var old = new CacheKey("aaaaaaaaaaaaaaaa");
        await m.Store.PutAsync(Key, WriteFile(m.Work, "new", [1, 2]));
        await m.Store.PutAsync(old, WriteFile(m.Work, "old", [1]));
        File.SetLastWriteTimeUtc(Directory.GetFiles(cache, "aaaa*").Single(), DateTime.UtcNow.AddDays(-3));
        File.WriteAllText(Path.Combine(cache, "README.txt"), "not an entry");
        File.WriteAllText(Path.Combine(cache, ".x.tmp-1-2"), "a writer's temp file");

        var entries = await m.Store.ListAsync();
        entries.Select(e => e.Key).ShouldBe([old, Key]);
        entries.Select(e => e.Bytes).ShouldBe([1L, 2L]);
        (await m.Store.DeleteAsync(old)).ShouldBeTrue();
        (await m.Store.ListAsync()).Select(e => e.Key).ShouldBe([Key]);
    }

    [Fact]
    public async Task A_cache_folder_that_cannot_be_created_is_one_warning_and_read_only_for_the_run()
    {
        var parent = TestEnvironment.NewTempDir("cache");
        File.WriteAllText(Path.Combine(parent, "file"), "a file where the cache's parent folder should be");
        var m = NewMachine(Path.Combine(parent, "file", "cache"));
        var source = WriteFile(m.Work, "x", [1]);
        (await m.Store.PutAsync(Key, source)).ShouldBeFalse();
        (await m.Store.PutAsync(Key, source)).ShouldBeFalse();
        (await m.Store.TryGetAsync(Key, Path.Combine(m.Work, "got"))).ShouldBeFalse();
        m.Observer.Warnings.ShouldHaveSingleItem().ShouldContain("it is read-only for this run");
        m.Store.Writable.ShouldBeFalse();
    }

    [Fact]
    public async Task Small_results_round_trip_as_bytes()
    {
        var m = NewMachine(TestEnvironment.NewTempDir("cache"));
        var json = "{\"verified\":true}"u8.ToArray();
        (await m.Store.PutBytesAsync(Key, json, m.Work)).ShouldBeTrue();
        (await m.Store.TryGetBytesAsync(Key, m.Work)).ShouldBe(json);
        (await m.Store.TryGetBytesAsync(new CacheKey("ffffffffffffffff"), m.Work)).ShouldBeNull();
        Directory.GetFiles(m.Work).ShouldBeEmpty("the scratch files are removed");
    }
}
