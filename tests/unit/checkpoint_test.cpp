// Checkpoints and .npz interop (runtime/src/checkpoint): round trips of every dtype, each
// bad-input error, crash safety under SIGKILL mid-write, and NumPy files both ways.
#include "checkpoint/Checkpoint.h"
#include "checkpoint/Npy.h"
#include "checkpoint/Npz.h"

#include "schemas/checkpoint_generated.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace nnc::rt;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test, removed with everything in it afterwards.
struct TempDir {
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "nnc_checkpoint_XXXXXX").string();
    if (::mkdtemp(tmpl.data())) dir = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
  std::string path(const std::string &name) const { return (fs::path(dir) / name).string(); }
  std::string dir;
};

// Tensors with owned bytes; `records` point into `store`.
struct Bag {
  std::vector<std::unique_ptr<std::vector<std::byte>>> store;
  std::vector<TensorRecord> records;

  template <class T>
  Bag &add(std::string name, DType dtype, std::vector<int64_t> shape, const std::vector<T> &v) {
    auto bytes = std::make_unique<std::vector<std::byte>>(v.size() * sizeof(T));
    if (!v.empty()) std::memcpy(bytes->data(), v.data(), bytes->size());
    TensorRecord r;
    r.name = std::move(name);
    r.dtype = dtype;
    r.shape = std::move(shape);
    r.bytes = *bytes;
    store.push_back(std::move(bytes));
    records.push_back(std::move(r));
    return *this;
  }
  std::vector<TensorSpec> specs() const { return {records.begin(), records.end()}; }
};

// Every dtype, a 0-d tensor, an empty tensor, optimizer state and special float values
// (NaN with a payload, infinities, -0, denormals) whose bits must survive.
Bag everyDType() {
  float nanPayload;
  uint32_t bits = 0x7fc01234;
  std::memcpy(&nanPayload, &bits, 4);
  Bag b;
  b.add<float>("h1.w", DType::F32, {2, 3},
               {1.5f, -0.0f, nanPayload, INFINITY, -INFINITY, 1e-45f});
  b.add<float>("h1.w.momentum_buffer", DType::F32, {2, 3}, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f});
  b.add<double>("h1.b", DType::F64, {3}, {3.141592653589793, -1e-300, 5e-324});
  b.add<int32_t>("counts", DType::I32, {2, 2}, {INT32_MIN, -1, 0, INT32_MAX});
  b.add<int64_t>("bn.num_batches", DType::I64, {1, 3}, {INT64_MIN, 42, INT64_MAX});
  b.add<uint8_t>("mask", DType::I1, {5}, {1, 0, 0, 1, 1});
  b.add<float>("scale", DType::F32, {}, {0.75f});        // 0-d
  b.add<int64_t>("offset", DType::I64, {}, {-123456789}); // 0-d
  b.add<float>("empty", DType::F32, {0, 4}, std::vector<float>{});
  return b;
}

Checkpoint makeCheckpoint(const Bag &bag, int64_t step = 1200) {
  Checkpoint c;
  c.modelName = "mlp";
  c.tensors = bag.records;
  c.fingerprint = fingerprintOf(std::span<const TensorRecord>(c.tensors));
  c.step = step;
  c.epoch = 3;
  c.seed = 0xfeedfacecafebeefull;
  return c;
}

bool sameBytes(std::span<const std::byte> a, std::span<const std::byte> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

void expectSameTensors(const std::vector<TensorRecord> &want,
                       const std::vector<TensorRecord> &got) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].name);
    EXPECT_EQ(want[i].name, got[i].name);
    EXPECT_EQ(want[i].dtype, got[i].dtype);
    EXPECT_EQ(want[i].shape, got[i].shape);
    EXPECT_TRUE(sameBytes(want[i].bytes, got[i].bytes));
  }
}

std::vector<uint8_t> readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const std::string &path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
}

CheckpointResult<Checkpoint> parseBytes(std::span<const uint8_t> bytes) {
  auto image = AlignedBuffer::allocate(bytes.size(), "test");
  if (!image) return std::move(image).takeError();
  if (!bytes.empty()) std::memcpy(image->data(), bytes.data(), bytes.size());
  return parseCheckpoint(std::move(image).value(), "mem.nnck");
}

// A checkpoint built directly with FlatBuffers, for files nnc would never write.
struct RawTensor {
  std::string name;
  int dtype;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};
std::vector<uint8_t> rawCheckpoint(uint32_t version, const std::vector<RawTensor> &tensors) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<nnc::schema::Tensor>> offsets;
  for (const RawTensor &t : tensors)
    offsets.push_back(nnc::schema::CreateTensorDirect(
        fbb, t.name.c_str(), static_cast<nnc::schema::DType>(t.dtype), &t.shape, &t.data));
  auto root = nnc::schema::CreateCheckpointDirect(fbb, version, "raw", 1, 0, 0, 0, &offsets);
  nnc::schema::FinishSizePrefixedCheckpointBuffer(fbb, root);
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

#define EXPECT_ERROR(result, errorCode, substring)                                          \
  do {                                                                                      \
    const auto &r_ = (result);                                                              \
    ASSERT_FALSE(r_.ok()) << "expected " << checkpointErrorCodeName(errorCode);             \
    EXPECT_EQ(r_.error().code, errorCode) << r_.error().str();                              \
    EXPECT_NE(r_.error().message.find(substring), std::string::npos)                        \
        << "message: " << r_.error().message << "\nexpected to contain: " << (substring);   \
  } while (0)

// ---------------------------------------------------------------------------------------
// Checkpoints

TEST(Checkpoint, RoundTripsEveryDTypeWithExactBytes) {
  TempDir dir;
  Bag bag = everyDType();
  Checkpoint saved = makeCheckpoint(bag);
  std::string path = dir.path("model.nnck");
  auto s = saveCheckpoint(path, saved);
  ASSERT_TRUE(s.ok()) << s.error().str();
  EXPECT_FALSE(fs::exists(tempPathFor(path))) << "the temporary file must be renamed away";

  auto loaded = loadCheckpoint(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  EXPECT_EQ(loaded->modelName, "mlp");
  EXPECT_EQ(loaded->fingerprint, saved.fingerprint);
  EXPECT_EQ(loaded->step, 1200);
  EXPECT_EQ(loaded->epoch, 3);
  EXPECT_EQ(loaded->seed, 0xfeedfacecafebeefull);
  expectSameTensors(saved.tensors, loaded->tensors);
  // force_align 64 + a 64-byte aligned file image: every tensor's data is aligned.
  for (const TensorRecord &t : loaded->tensors)
    if (!t.bytes.empty())
      EXPECT_EQ(reinterpret_cast<uintptr_t>(t.bytes.data()) % 64, 0u) << t.name;
  ASSERT_NE(loaded->find("scale"), nullptr);
  EXPECT_TRUE(loaded->find("scale")->shape.empty());
  EXPECT_EQ(loaded->find("missing"), nullptr);

  // The records stay valid in a copy after the original result is gone.
  Checkpoint copy = *loaded;
  loaded = CheckpointError{CheckpointErrorCode::Io, "gone"};
  expectSameTensors(saved.tensors, copy.tensors);

  // Saving again over an existing checkpoint replaces it.
  saved.step = 1300;
  ASSERT_TRUE(saveCheckpoint(path, saved).ok());
  auto again = loadCheckpoint(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->step, 1300);
}

TEST(Checkpoint, EmptyCheckpointRoundTrips) {
  TempDir dir;
  Checkpoint c;
  c.modelName = "perceptron";
  c.step = 7;
  ASSERT_TRUE(saveCheckpoint(dir.path("e.nnck"), c).ok());
  auto loaded = loadCheckpoint(dir.path("e.nnck"));
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  EXPECT_TRUE(loaded->tensors.empty());
  EXPECT_EQ(loaded->step, 7);
}

TEST(Checkpoint, FingerprintDependsOnNamesDTypesAndShapes) {
  std::vector<TensorSpec> a = {{"w", DType::F32, {2, 3}}, {"b", DType::F32, {3}}};
  auto changed = [&](auto edit) {
    auto b = a;
    edit(b);
    return fingerprintOf(std::span<const TensorSpec>(b));
  };
  uint64_t base = fingerprintOf(std::span<const TensorSpec>(a));
  EXPECT_EQ(base, fingerprintOf(std::span<const TensorSpec>(a)));
  EXPECT_NE(base, changed([](auto &v) { v[0].name = "v"; }));
  EXPECT_NE(base, changed([](auto &v) { v[0].dtype = DType::F64; }));
  EXPECT_NE(base, changed([](auto &v) { v[0].shape = {3, 2}; }));
  EXPECT_NE(base, changed([](auto &v) { v[1].shape = {}; }));
  EXPECT_NE(base, changed([](auto &v) { std::swap(v[0], v[1]); }));
  // Records hash like their specs.
  Bag bag = everyDType();
  auto specs = bag.specs();
  EXPECT_EQ(fingerprintOf(std::span<const TensorRecord>(bag.records)),
            fingerprintOf(std::span<const TensorSpec>(specs)));
}

TEST(Checkpoint, LoadsForTheSameModel) {
  TempDir dir;
  Bag bag = everyDType();
  Checkpoint c = makeCheckpoint(bag);
  ASSERT_TRUE(saveCheckpoint(dir.path("m.nnck"), c).ok());
  ModelIdentity model{"mlp", c.fingerprint, bag.specs()};
  auto loaded = loadCheckpoint(dir.path("m.nnck"), model);
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  ModelIdentity fingerprintOnly{"mlp", c.fingerprint, {}};
  EXPECT_TRUE(loadCheckpoint(dir.path("m.nnck"), fingerprintOnly).ok());
}

TEST(Checkpoint, AnotherModelIsRejectedNamingTheFirstDifferingTensor) {
  TempDir dir;
  Bag bag = everyDType();
  std::string path = dir.path("m.nnck");
  ASSERT_TRUE(saveCheckpoint(path, makeCheckpoint(bag)).ok());

  auto identity = [](std::string name, std::vector<TensorSpec> specs) {
    uint64_t f = fingerprintOf(std::span<const TensorSpec>(specs));
    return ModelIdentity{std::move(name), f, std::move(specs)};
  };
  auto specs = bag.specs();
  auto reshaped = specs;
  reshaped[2].shape = {4};
  EXPECT_ERROR(loadCheckpoint(path, identity("mlp2", reshaped)), CheckpointErrorCode::OtherModel,
               "first difference: tensor 'h1.b' is f64[4] in the model but f64[3] in the "
               "checkpoint");
  auto retyped = specs;
  retyped[2].dtype = DType::F32;
  retyped[2].shape = {3};
  EXPECT_ERROR(loadCheckpoint(path, identity("mlp2", retyped)), CheckpointErrorCode::OtherModel,
               "tensor 'h1.b' is f32[3] in the model but f64[3] in the checkpoint");
  auto extraInModel = specs;
  extraInModel.push_back({"h2.w", DType::F32, {10, 3}});
  EXPECT_ERROR(loadCheckpoint(path, identity("mlp2", extraInModel)),
               CheckpointErrorCode::OtherModel,
               "tensor 'h2.w' (f32[10, 3]) of the model is not in the checkpoint");
  auto fewer = specs;
  fewer.pop_back();
  EXPECT_ERROR(loadCheckpoint(path, identity("mlp2", fewer)), CheckpointErrorCode::OtherModel,
               "tensor 'empty' (f32[0, 4]) of the checkpoint is not in the model");
  // The message names both models and their fingerprints.
  auto r = loadCheckpoint(path, identity("lenet5", reshaped));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("saved from 'mlp'"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("not 'lenet5'"), std::string::npos) << r.error().message;
  // Only a fingerprint: rejected, with a hint how to learn which tensor differs.
  EXPECT_ERROR(loadCheckpoint(path, ModelIdentity{"mlp2", 12345, {}}),
               CheckpointErrorCode::OtherModel, "give the model's tensor list");
}

TEST(Checkpoint, MissingFileIsNotFound) {
  TempDir dir;
  EXPECT_ERROR(loadCheckpoint(dir.path("nope.nnck")), CheckpointErrorCode::NotFound,
               "nope.nnck: cannot open: No such file or directory");
  EXPECT_ERROR(loadCheckpoint(dir.dir), CheckpointErrorCode::Io, "not a regular file");
}

TEST(Checkpoint, TruncatedFilesAreTruncated) {
  TempDir dir;
  Bag bag = everyDType();
  std::string path = dir.path("m.nnck");
  ASSERT_TRUE(saveCheckpoint(path, makeCheckpoint(bag)).ok());
  std::vector<uint8_t> whole = readBytes(path);
  ASSERT_GT(whole.size(), 64u);

  std::string cut = dir.path("cut.nnck");
  writeBytes(cut, {});
  EXPECT_ERROR(loadCheckpoint(cut), CheckpointErrorCode::Truncated, "the file is empty");
  writeBytes(cut, std::span(whole).first(7));
  EXPECT_ERROR(loadCheckpoint(cut), CheckpointErrorCode::Truncated,
               "the file is 7 bytes, shorter than a checkpoint header");
  for (size_t keep : {size_t(12), size_t(13), whole.size() / 2, whole.size() - 1}) {
    SCOPED_TRACE(keep);
    writeBytes(cut, std::span(whole).first(keep));
    EXPECT_ERROR(loadCheckpoint(cut), CheckpointErrorCode::Truncated,
                 fmt::format("the file is truncated: {} bytes, but its header says {}", keep,
                             whole.size()));
  }
}

TEST(Checkpoint, TrailingBytesAreCorrupt) {
  TempDir dir;
  Bag bag = everyDType();
  std::string path = dir.path("m.nnck");
  ASSERT_TRUE(saveCheckpoint(path, makeCheckpoint(bag)).ok());
  std::vector<uint8_t> bytes = readBytes(path);
  bytes.push_back(0);
  EXPECT_ERROR(parseBytes(bytes), CheckpointErrorCode::Corrupt, "1 unexpected bytes after");
}

TEST(Checkpoint, CorruptBytesFailVerification) {
  Bag bag = everyDType();
  TempDir dir;
  ASSERT_TRUE(saveCheckpoint(dir.path("m.nnck"), makeCheckpoint(bag)).ok());
  const std::vector<uint8_t> good = readBytes(dir.path("m.nnck"));

  // The root offset points outside the buffer.
  auto bad = good;
  bad[4] = bad[5] = bad[6] = 0xff;
  bad[7] = 0x7f;
  EXPECT_ERROR(parseBytes(bad), CheckpointErrorCode::Corrupt, "FlatBuffers verification failed");

  // The root table's vtable offset is garbage.
  bad = good;
  uint32_t root = uint32_t(bad[4]) | uint32_t(bad[5]) << 8 | uint32_t(bad[6]) << 16 |
                  uint32_t(bad[7]) << 24;
  size_t table = 4 + root;
  ASSERT_LT(table + 4, bad.size());
  bad[table] ^= 0x55;
  bad[table + 1] ^= 0x55;
  bad[table + 3] = 0x40;
  EXPECT_ERROR(parseBytes(bad), CheckpointErrorCode::Corrupt, "FlatBuffers verification failed");

  // The file on disk gives the same error with its path.
  writeBytes(dir.path("bad.nnck"), bad);
  EXPECT_ERROR(loadCheckpoint(dir.path("bad.nnck")), CheckpointErrorCode::Corrupt,
               "bad.nnck: the checkpoint is corrupt");
}

// Flips every byte of a small checkpoint in turn: each image must load cleanly or give an
// error, never crash (the sanitize preset runs this under ASan/UBSan).
TEST(Checkpoint, EveryFlippedByteGivesAnErrorOrAConsistentCheckpoint) {
  Bag bag;
  bag.add<float>("w", DType::F32, {2, 2}, {1, 2, 3, 4});
  bag.add<uint8_t>("m", DType::I1, {3}, {1, 0, 1});
  bag.add<int64_t>("s", DType::I64, {}, {5});
  TempDir dir;
  ASSERT_TRUE(saveCheckpoint(dir.path("m.nnck"), makeCheckpoint(bag)).ok());
  const std::vector<uint8_t> good = readBytes(dir.path("m.nnck"));
  int errors = 0, verifierErrors = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    auto bad = good;
    bad[i] ^= 0xff;
    auto r = parseBytes(bad);
    if (!r.ok()) {
      ++errors;
      verifierErrors += r.error().message.find("verification failed") != std::string::npos;
      continue;
    }
    for (const TensorRecord &t : r->tensors) {
      auto size = byteSize(t.dtype, t.shape);
      ASSERT_TRUE(size.has_value());
      EXPECT_EQ(*size, t.bytes.size());
    }
  }
  EXPECT_GT(errors, 0);
  EXPECT_GT(verifierErrors, 0);
}

TEST(Checkpoint, IdxFileHasTheWrongIdentifier) {
  // The start of an MNIST images file: magic 0x00000803, 60000 x 28 x 28, then pixels.
  std::vector<uint8_t> idx = {0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28};
  idx.resize(idx.size() + 784 * 2, 0x7f);
  TempDir dir;
  writeBytes(dir.path("train-images-idx3-ubyte"), idx);
  EXPECT_ERROR(loadCheckpoint(dir.path("train-images-idx3-ubyte")),
               CheckpointErrorCode::WrongIdentifier,
               "not an nnc checkpoint: expected the file identifier \"NNCK\" at bytes 8-11, "
               "found 00 00 00 1c");
  std::string text = "# model.graph\ninput x: f32[B, 784]\n";
  writeBytes(dir.path("model.graph"), std::span(reinterpret_cast<const uint8_t *>(text.data()),
                                                text.size()));
  EXPECT_ERROR(loadCheckpoint(dir.path("model.graph")), CheckpointErrorCode::WrongIdentifier,
               "found \"grap\"");
}

TEST(Checkpoint, UnknownVersionsAreUnsupported) {
  EXPECT_TRUE(parseBytes(rawCheckpoint(1, {})).ok());
  EXPECT_ERROR(parseBytes(rawCheckpoint(2, {})), CheckpointErrorCode::UnsupportedVersion,
               "checkpoint version 2 is not supported (this runtime reads version 1)");
  EXPECT_ERROR(parseBytes(rawCheckpoint(0, {})), CheckpointErrorCode::UnsupportedVersion,
               "checkpoint version 0 is not supported");
}

TEST(Checkpoint, InconsistentTensorsInAFileAreCorrupt) {
  std::vector<uint8_t> f32x6(24, 0);
  EXPECT_TRUE(parseBytes(rawCheckpoint(1, {{"w", 0, {2, 3}, f32x6}})).ok());
  EXPECT_ERROR(parseBytes(rawCheckpoint(1, {{"w", 0, {2, 3}, std::vector<uint8_t>(20)}})),
               CheckpointErrorCode::Corrupt,
               "tensor 0 ('w'): f32[2, 3] needs 24 bytes but the checkpoint holds 20");
  EXPECT_ERROR(parseBytes(rawCheckpoint(1, {{"w", 1, {2, 3}, f32x6}})),
               CheckpointErrorCode::Corrupt, "f64[2, 3] needs 48 bytes");
  EXPECT_ERROR(parseBytes(rawCheckpoint(1, {{"w", 0, {int64_t(1) << 40, int64_t(1) << 40}, {}}})),
               CheckpointErrorCode::Corrupt, "invalid shape [1099511627776, 1099511627776]");
  EXPECT_ERROR(parseBytes(rawCheckpoint(1, {{"w", 0, {-2, -3}, f32x6}})),
               CheckpointErrorCode::Corrupt, "invalid shape [-2, -3]");
  EXPECT_ERROR(parseBytes(rawCheckpoint(1, {{"w", 9, {6}, f32x6}})), CheckpointErrorCode::Corrupt,
               "tensor 0 ('w'): unknown dtype 9");
  EXPECT_ERROR(parseBytes(rawCheckpoint(1, {{"m", 4, {2}, {1, 2}}})), CheckpointErrorCode::Corrupt,
               "a bool element is neither 0 nor 1");
  EXPECT_ERROR(
      parseBytes(rawCheckpoint(1, {{"w", 0, {2, 3}, f32x6}, {"w", 0, {2, 3}, f32x6}})),
      CheckpointErrorCode::Corrupt, "tensor 1 ('w'): duplicate name");
}

TEST(Checkpoint, SaveRejectsInconsistentTensorsAndKeepsTheOldFile) {
  TempDir dir;
  Bag bag = everyDType();
  std::string path = dir.path("m.nnck");
  ASSERT_TRUE(saveCheckpoint(path, makeCheckpoint(bag)).ok());
  auto before = readBytes(path);

  Bag shortData;
  shortData.add<float>("w", DType::F32, {2, 3}, {1, 2, 3, 4, 5});
  EXPECT_ERROR(saveCheckpoint(path, makeCheckpoint(shortData)),
               CheckpointErrorCode::InvalidArgument,
               "tensor 'w' is f32[2, 3] = 24 bytes but 20 bytes were given");
  Bag twice;
  twice.add<float>("w", DType::F32, {1}, {1}).add<float>("w", DType::F32, {1}, {2});
  EXPECT_ERROR(saveCheckpoint(path, makeCheckpoint(twice)), CheckpointErrorCode::InvalidArgument,
               "tensor 'w' appears twice");
  Bag unnamed;
  unnamed.add<float>("", DType::F32, {1}, {1});
  EXPECT_ERROR(saveCheckpoint(path, makeCheckpoint(unnamed)),
               CheckpointErrorCode::InvalidArgument, "a tensor has an empty name");
  Bag negative;
  negative.add<float>("w", DType::F32, {-1}, std::vector<float>{});
  EXPECT_ERROR(saveCheckpoint(path, makeCheckpoint(negative)),
               CheckpointErrorCode::InvalidArgument, "negative dimension");

  EXPECT_EQ(readBytes(path), before);
  EXPECT_FALSE(fs::exists(tempPathFor(path)));
}

TEST(Checkpoint, SavesOver2GiBAreRefused) {
  // 2 GiB of f32 that is never touched: reserved address space, no memory.
  const size_t bytes = size_t(1) << 31;
  void *p = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  Checkpoint c;
  c.modelName = "huge";
  TensorRecord r;
  r.name = "w";
  r.dtype = DType::F32;
  r.shape = {int64_t(bytes / 4)};
  r.bytes = std::span(static_cast<const std::byte *>(p), bytes);
  c.tensors.push_back(r);
  TempDir dir;
  EXPECT_ERROR(saveCheckpoint(dir.path("huge.nnck"), c), CheckpointErrorCode::TooLarge,
               "over FlatBuffers' 2 GiB limit (2147483646 bytes); nothing was written");
  // Two halves together are also too much.
  c.tensors[0].shape = {int64_t(bytes / 8)};
  c.tensors[0].bytes = c.tensors[0].bytes.first(bytes / 2);
  c.tensors.push_back(c.tensors[0]);
  c.tensors[1].name = "v";
  EXPECT_ERROR(saveCheckpoint(dir.path("huge.nnck"), c), CheckpointErrorCode::TooLarge, "2 GiB");
  EXPECT_FALSE(fs::exists(dir.path("huge.nnck")));
  ::munmap(p, bytes);
}

TEST(Checkpoint, FilesOver2GiBAreRejectedBeforeReading) {
  TempDir dir;
  std::string path = dir.path("huge.nnck");
  { std::ofstream touch(path); }
  fs::resize_file(path, uint64_t(1) << 31); // sparse: no disk space, never read
  EXPECT_ERROR(loadCheckpoint(path), CheckpointErrorCode::TooLarge,
               "the file is 2147483648 bytes, over the limit of 2147483646 bytes");
}

TEST(Checkpoint, SaveIntoAMissingDirectoryIsAnIoError) {
  TempDir dir;
  Bag bag = everyDType();
  EXPECT_ERROR(saveCheckpoint(dir.path("no/such/dir/m.nnck"), makeCheckpoint(bag)),
               CheckpointErrorCode::Io, "cannot create");
}

// ---------------------------------------------------------------------------------------
// Crash safety: a save killed with SIGKILL leaves the previous checkpoint loadable.

// A 200 MB checkpoint (one f32 tensor with a pattern) for the crash tests.
struct BigCheckpoint {
  std::vector<float> data = std::vector<float>(50'000'000);
  Checkpoint checkpoint;
  BigCheckpoint() {
    for (size_t i = 0; i < data.size(); ++i) data[i] = float(i % 1000) * 0.5f;
    checkpoint.modelName = "big";
    checkpoint.step = 999;
    TensorRecord r;
    r.name = "w";
    r.dtype = DType::F32;
    r.shape = {int64_t(data.size())};
    r.bytes = std::as_bytes(std::span(data));
    checkpoint.tensors.push_back(r);
  }
};

TEST(CheckpointCrashSafety, KilledMidWriteLeavesTheOldCheckpoint) {
  TempDir dir;
  std::string path = dir.path("model.nnck");
  Bag bag = everyDType();
  Checkpoint good = makeCheckpoint(bag, 100);
  ASSERT_TRUE(saveCheckpoint(path, good).ok());
  const std::vector<uint8_t> goodBytes = readBytes(path);
  BigCheckpoint big;

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child saves the big checkpoint; half-way through writing the temporary file it
    // tells the parent and waits to be killed.
    ::close(fds[0]);
    SaveOptions options;
    options.progress = [&](uint64_t written, uint64_t total) {
      if (written * 2 >= total) {
        char c = 'k';
        if (::write(fds[1], &c, 1) != 1) ::_exit(4);
        for (;;) ::pause();
      }
    };
    (void)saveCheckpoint(path, big.checkpoint, options);
    ::_exit(3); // not reached
  }
  ::close(fds[1]);
  char c = 0;
  ssize_t n = ::read(fds[0], &c, 1);
  ::close(fds[0]);
  std::string tmp = path + ".tmp-" + std::to_string(child);
  std::error_code ec;
  uintmax_t partial = fs::file_size(tmp, ec);
  ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_EQ(n, 1) << "the child never reached the middle of the write";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ASSERT_FALSE(ec) << "no temporary file " << tmp;
  EXPECT_GE(partial, 100'000'000u); // half of the 200 MB was written ...
  EXPECT_LT(partial, 200'000'000u); // ... but not all of it

  // The old checkpoint is intact, byte for byte, and loads.
  EXPECT_EQ(readBytes(path), goodBytes);
  auto loaded = loadCheckpoint(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  EXPECT_EQ(loaded->step, 100);
  expectSameTensors(good.tensors, loaded->tensors);
  // The dead process's partial file stays behind under its own name (never loaded).
  EXPECT_TRUE(fs::exists(tmp));
}

TEST(CheckpointCrashSafety, KilledAsSoonAsTheWriteStartsWithoutAHook) {
  TempDir dir;
  std::string path = dir.path("model.nnck");
  Bag bag = everyDType();
  Checkpoint good = makeCheckpoint(bag, 100);
  ASSERT_TRUE(saveCheckpoint(path, good).ok());
  BigCheckpoint big;

  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(saveCheckpoint(path, big.checkpoint).ok() ? 0 : 1);
  // Kill the child as soon as its temporary file has data (it serializes first, then writes).
  std::string tmp = path + ".tmp-" + std::to_string(child);
  int status = 0;
  bool finished = false, sawPartial = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    if (fs::file_size(tmp, ec) > 0 && !ec) {
      sawPartial = true;
      break;
    }
    if (::waitpid(child, &status, WNOHANG) == child) {
      finished = true;
      break;
    }
    ::usleep(100);
  }
  if (!finished) {
    ::kill(child, SIGKILL);
    ASSERT_EQ(::waitpid(child, &status, 0), child);
  }
  EXPECT_TRUE(sawPartial || finished);

  // Whichever moment the kill hit, the path holds one whole checkpoint: the old one, or
  // the new one if the child managed to rename it.
  auto loaded = loadCheckpoint(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  if (loaded->step == 100) {
    expectSameTensors(good.tensors, loaded->tensors);
  } else {
    EXPECT_EQ(loaded->step, 999);
    expectSameTensors(big.checkpoint.tensors, loaded->tensors);
  }
}

// ---------------------------------------------------------------------------------------
// .npy headers

std::vector<std::byte> npyWithDict(const std::string &dict, uint8_t major = 1) {
  std::string text = dict;
  size_t pre = major == 1 ? 10 : 12;
  while ((pre + text.size() + 1) % 64) text.push_back(' ');
  text.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(char(major));
  out.push_back(0);
  out.push_back(char(text.size() & 0xff));
  out.push_back(char(text.size() >> 8));
  if (major != 1) out.append(2, '\0');
  out += text;
  auto *p = reinterpret_cast<const std::byte *>(out.data());
  return {p, p + out.size()};
}

TEST(Npy, HeaderIsFormat10PaddedTo64) {
  std::string h = encodeNpyHeader(DType::F32, std::vector<int64_t>{2, 3});
  EXPECT_EQ(h.size() % 64, 0u);
  EXPECT_EQ(h.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ(size_t(uint8_t(h[8])) | size_t(uint8_t(h[9])) << 8, h.size() - 10);
  EXPECT_EQ(h.back(), '\n');
  EXPECT_NE(h.find("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"),
            std::string::npos);
  EXPECT_NE(encodeNpyHeader(DType::I1, std::vector<int64_t>{5}).find("'descr': '|b1'"),
            std::string::npos);
  EXPECT_NE(encodeNpyHeader(DType::I64, std::vector<int64_t>{5}).find("'shape': (5,)"),
            std::string::npos);
  EXPECT_NE(encodeNpyHeader(DType::F64, std::vector<int64_t>{}).find("'shape': ()"),
            std::string::npos);
}

TEST(Npy, ParsesWhatItWrites) {
  for (DType t : {DType::F32, DType::F64, DType::I32, DType::I64, DType::I1}) {
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, {7}, {2, 3}, {0, 5}, {1, 2, 3, 4, 5, 6, 7, 8}}) {
      std::string h = encodeNpyHeader(t, shape);
      auto bytes = std::as_bytes(std::span(h));
      auto parsed = parseNpyHeader(bytes, "t.npy");
      ASSERT_TRUE(parsed.ok()) << parsed.error().str();
      EXPECT_EQ(parsed->dtype, t);
      EXPECT_EQ(parsed->shape, shape);
      EXPECT_EQ(parsed->headerBytes, h.size());
      EXPECT_EQ(parsed->dataBytes, *byteSize(t, shape));
    }
  }
  // NumPy's other spellings: double quotes, no trailing comma, version 2.0, 'L' suffixes.
  auto v2 = parseNpyHeader(
      npyWithDict("{\"shape\": (3L, 4), \"fortran_order\": False, \"descr\": \"<i4\"}", 2), "t");
  ASSERT_TRUE(v2.ok()) << v2.error().str();
  EXPECT_EQ(v2->shape, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(v2->dtype, DType::I32);
}

TEST(Npy, RejectsMalformedAndUnsupportedHeaders) {
  struct Case {
    std::string dict;
    CheckpointErrorCode code;
    std::string message;
  };
  const std::string ok = "'fortran_order': False, 'shape': (2,), }";
  std::vector<Case> cases = {
      {"{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }",
       CheckpointErrorCode::Unsupported,
       "fortran_order True (column-major) arrays are not supported"},
      {"{'descr': '>f4', " + ok, CheckpointErrorCode::Unsupported,
       "big-endian dtype '>f4' is not supported"},
      {"{'descr': '>i8', " + ok, CheckpointErrorCode::Unsupported, "big-endian"},
      {"{'descr': '<f2', " + ok, CheckpointErrorCode::Unsupported, "dtype '<f2' is not supported"},
      {"{'descr': '|O', " + ok, CheckpointErrorCode::Unsupported, "dtype '|O' is not supported"},
      {"{'descr': '<u1', " + ok, CheckpointErrorCode::Unsupported, "dtype '<u1'"},
      {"{'descr': [('a', '<f4')], " + ok, CheckpointErrorCode::Unsupported,
       "structured dtypes are not supported"},
      {"{'descr': '<f4', 'shape': (2,), }", CheckpointErrorCode::Malformed,
       "missing key 'fortran_order'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}",
       CheckpointErrorCode::Malformed, "unexpected key 'extra'"},
      {"{'descr': '<f4', 'descr': '<f4', " + ok, CheckpointErrorCode::Malformed,
       "duplicate key 'descr'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (5), }", CheckpointErrorCode::Malformed,
       "the shape is not a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
       CheckpointErrorCode::Malformed, "expected a non-negative integer"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }",
       CheckpointErrorCode::Malformed, "expected ',' or ')'"},
      {"{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }",
       CheckpointErrorCode::Malformed, "expected True or False"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", CheckpointErrorCode::Malformed,
       "expected a string"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", CheckpointErrorCode::Malformed,
       "malformed .npy header"},
      {"['descr', '<f4']", CheckpointErrorCode::Malformed, "expected '{'"},
      {"{'descr': '<f4', " + ok + " trailing", CheckpointErrorCode::Malformed,
       "unexpected text after the dict"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }",
       CheckpointErrorCode::TooLarge, "too many elements"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
       CheckpointErrorCode::Malformed, "a dimension is too large"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.dict);
    EXPECT_ERROR(parseNpyHeader(npyWithDict(c.dict), "f.npz: entry 'w.npy'"), c.code, c.message);
  }
  // Bad magic, unknown version, truncated header.
  auto good = npyWithDict("{'descr': '<f4', " + ok);
  auto bad = good;
  bad[1] = std::byte{'X'};
  EXPECT_ERROR(parseNpyHeader(bad, "w"), CheckpointErrorCode::Malformed, "no \\x93NUMPY magic");
  bad = good;
  bad[6] = std::byte{9};
  EXPECT_ERROR(parseNpyHeader(bad, "w"), CheckpointErrorCode::Malformed,
               ".npy format version 9.0 is not supported");
  EXPECT_ERROR(parseNpyHeader(std::span(good).first(40), "w"), CheckpointErrorCode::Malformed,
               "the header is truncated");
  EXPECT_ERROR(parseNpyHeader(std::span(good).first(8), "w"), CheckpointErrorCode::Malformed,
               "the .npy header is truncated");
}

// ---------------------------------------------------------------------------------------
// .npz archives

// Writes a zip with the given entries (stored) using libzip directly.
void writeZip(const std::string &path,
              const std::vector<std::pair<std::string, std::vector<std::byte>>> &entries) {
  int err = 0;
  zip_t *z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  ASSERT_NE(z, nullptr);
  for (const auto &[name, data] : entries) {
    zip_source_t *src = zip_source_buffer(z, data.data(), data.size(), 0);
    ASSERT_NE(src, nullptr);
    ASSERT_GE(zip_file_add(z, name.c_str(), src, 0), 0);
  }
  ASSERT_EQ(zip_close(z), 0);
}

std::vector<std::byte> npyEntry(DType dtype, std::vector<int64_t> shape, size_t dataBytes) {
  std::string h = encodeNpyHeader(dtype, shape);
  std::vector<std::byte> out(h.size() + dataBytes, std::byte{0});
  std::memcpy(out.data(), h.data(), h.size());
  return out;
}

TEST(Npz, RoundTripsEveryDType) {
  TempDir dir;
  Bag bag = everyDType();
  std::string path = dir.path("weights.npz");
  auto s = exportNpz(path, bag.records);
  ASSERT_TRUE(s.ok()) << s.error().str();
  EXPECT_FALSE(fs::exists(tempPathFor(path)));
  auto loaded = importNpz(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  expectSameTensors(bag.records, loaded->tensors);
  for (const TensorRecord &t : loaded->tensors)
    if (!t.bytes.empty())
      EXPECT_EQ(reinterpret_cast<uintptr_t>(t.bytes.data()) % 64, 0u) << t.name;
  // Exporting over an existing archive replaces it.
  Bag one;
  one.add<float>("only", DType::F32, {1}, {2.5f});
  ASSERT_TRUE(exportNpz(path, one.records).ok());
  auto again = importNpz(path);
  ASSERT_TRUE(again.ok());
  expectSameTensors(one.records, again->tensors);
}

TEST(Npz, EmptyArchiveRoundTrips) {
  TempDir dir;
  std::string path = dir.path("empty.npz");
  auto s = exportNpz(path, {});
  ASSERT_TRUE(s.ok()) << s.error().str();
  auto loaded = importNpz(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().str();
  EXPECT_TRUE(loaded->tensors.empty());
  std::vector<TensorSpec> want = {{"w", DType::F32, {1}}};
  EXPECT_ERROR(importNpz(path, {want}), CheckpointErrorCode::Mismatch,
               "tensor 'w' (f32[1]) of the model is not in the archive");
}

TEST(Npz, ImportChecksTheModelsTensors) {
  TempDir dir;
  Bag bag = everyDType();
  std::string path = dir.path("weights.npz");
  ASSERT_TRUE(exportNpz(path, bag.records).ok());
  auto specs = bag.specs();

  // In the model's order, whatever the archive's.
  std::vector<TensorSpec> reversed(specs.rbegin(), specs.rend());
  auto r = importNpz(path, {reversed});
  ASSERT_TRUE(r.ok()) << r.error().str();
  ASSERT_EQ(r->tensors.size(), specs.size());
  EXPECT_EQ(r->tensors.front().name, "empty");

  auto reshaped = specs;
  reshaped[0].shape = {3, 2};
  EXPECT_ERROR(importNpz(path, {reshaped}), CheckpointErrorCode::Mismatch,
               "entry 'h1.w.npy': tensor 'h1.w' is f32[3, 2] in the model but f32[2, 3] in the "
               "archive");
  auto retyped = specs;
  retyped[3].dtype = DType::I64;
  EXPECT_ERROR(importNpz(path, {retyped}), CheckpointErrorCode::Mismatch,
               "tensor 'counts' is i64[2, 2] in the model but i32[2, 2] in the archive");
  auto more = specs;
  more.push_back({"h2.w", DType::F32, {4}});
  EXPECT_ERROR(importNpz(path, {more}), CheckpointErrorCode::Mismatch,
               "tensor 'h2.w' (f32[4]) of the model is not in the archive");
  auto fewer = specs;
  fewer.erase(fewer.begin());
  EXPECT_ERROR(importNpz(path, {fewer}), CheckpointErrorCode::Mismatch,
               "entry 'h1.w.npy': 'h1.w' names no tensor of the model");
  auto partial = importNpz(path, {fewer, /*allowUnexpected=*/true});
  ASSERT_TRUE(partial.ok()) << partial.error().str();
  EXPECT_EQ(partial->tensors.size(), fewer.size());
  EXPECT_EQ(partial->find("h1.w"), nullptr);
}

TEST(Npz, RejectsBadArchivesAndEntries) {
  TempDir dir;
  EXPECT_ERROR(importNpz(dir.path("missing.npz")), CheckpointErrorCode::NotFound,
               "missing.npz: cannot open the archive");
  std::vector<uint8_t> idx = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4};
  writeBytes(dir.path("idx.npz"), idx);
  EXPECT_ERROR(importNpz(dir.path("idx.npz")), CheckpointErrorCode::WrongIdentifier,
               "not a zip archive");

  // A truncated archive: the end-of-central-directory record is gone.
  Bag bag = everyDType();
  ASSERT_TRUE(exportNpz(dir.path("good.npz"), bag.records).ok());
  auto whole = readBytes(dir.path("good.npz"));
  writeBytes(dir.path("cut.npz"), std::span(whole).first(whole.size() / 2));
  auto cut = importNpz(dir.path("cut.npz"));
  ASSERT_FALSE(cut.ok());
  EXPECT_TRUE(cut.error().code == CheckpointErrorCode::WrongIdentifier ||
              cut.error().code == CheckpointErrorCode::Corrupt)
      << cut.error().str();

  // A flipped data byte fails libzip's CRC check.
  auto flipped = whole;
  const uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  auto at = std::search(flipped.begin(), flipped.end(), std::begin(magic), std::end(magic));
  ASSERT_NE(at, flipped.end());
  at[128] ^= 0xff; // the first byte of the first array's data
  writeBytes(dir.path("flipped.npz"), flipped);
  EXPECT_ERROR(importNpz(dir.path("flipped.npz")), CheckpointErrorCode::Corrupt, "CRC");

  std::string path = dir.path("bad.npz");
  writeZip(path, {{"readme.txt", {}}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Malformed,
               "entry 'readme.txt': not an .npy array");
  writeZip(path, {{"w.npy", npyEntry(DType::F32, {2, 3}, 20)}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Malformed,
               "entry 'w.npy': size mismatch: the header says shape (2, 3) of <f4 = 24 data bytes "
               "but the entry holds 20");
  writeZip(path, {{"w.npy", npyEntry(DType::F32, {2, 3}, 28)}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Malformed, "the entry holds 28");
  writeZip(path,
           {{"w.npy", npyWithDict("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }")}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Unsupported, "fortran_order True");
  writeZip(path,
           {{"w.npy", npyWithDict("{'descr': '>f8', 'fortran_order': False, 'shape': (), }")}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Unsupported, "big-endian dtype '>f8'");
  writeZip(path,
           {{"w.npy", npyWithDict("{'descr': '<c8', 'fortran_order': False, 'shape': (), }")}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Unsupported, "dtype '<c8' is not supported");
  writeZip(path, {{"w.npy", npyWithDict("{'descr': '<f4', 'fortran_order': False}")}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Malformed, "missing key 'shape'");
  std::vector<std::byte> tiny(5, std::byte{'x'});
  writeZip(path, {{"w.npy", tiny}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Malformed, "not an .npy array");
  auto badBool = npyEntry(DType::I1, {2}, 2);
  badBool.back() = std::byte{7};
  writeZip(path, {{"m.npy", badBool}});
  EXPECT_ERROR(importNpz(path), CheckpointErrorCode::Malformed,
               "a bool element is neither 0 nor 1");
}

TEST(Npz, ExportRejectsInconsistentTensors) {
  TempDir dir;
  Bag bag;
  bag.add<float>("w", DType::F32, {4}, {1, 2, 3});
  EXPECT_ERROR(exportNpz(dir.path("w.npz"), bag.records), CheckpointErrorCode::InvalidArgument,
               "tensor 'w' is f32[4] = 16 bytes but 12 bytes were given");
  EXPECT_FALSE(fs::exists(dir.path("w.npz")));
  Bag ok;
  ok.add<float>("w", DType::F32, {1}, {1});
  EXPECT_ERROR(exportNpz(dir.path("no/dir/w.npz"), ok.records), CheckpointErrorCode::Io,
               "cannot");
}

// The arrays of scripts/make_npz_fixture.py (ARRAYS), built here.
Bag numpyArrays() {
  Bag b;
  b.add<float>("w", DType::F32, {2, 3}, {1.5f, -2.25f, 3.0f, 0.1f, 1e30f, -0.0f});
  b.add<double>("b", DType::F64, {3}, {0.5, -1e-300, 3.141592653589793});
  b.add<int64_t>("idx", DType::I64, {2, 2}, {1, -2, int64_t(1) << 40, -(int64_t(1) << 62)});
  b.add<int32_t>("count", DType::I32, {}, {-7});
  b.add<uint8_t>("mask", DType::I1, {4}, {1, 0, 0, 1});
  b.add<float>("h1.w.momentum_buffer", DType::F32, {1, 1}, {0.25f});
  b.add<float>("empty", DType::F32, {0, 3}, std::vector<float>{});
  return b;
}

void expectNumpyFixture(const std::string &file) {
  std::string path = std::string(NNC_SOURCE_DIR) + "/tests/unit/fixtures/" + file;
  Bag want = numpyArrays();
  auto specs = want.specs();
  auto got = importNpz(path, {specs});
  ASSERT_TRUE(got.ok()) << got.error().str();
  expectSameTensors(want.records, got->tensors);
  // Spot-check values as numbers too.
  const TensorRecord *w = got->find("w");
  ASSERT_NE(w, nullptr);
  float w4;
  std::memcpy(&w4, w->bytes.data() + 16, 4);
  EXPECT_EQ(w4, 1e30f);
}

TEST(Npz, ReadsNumpysSavezFixtureExactly) { expectNumpyFixture("numpy_arrays.npz"); }
TEST(Npz, ReadsNumpysSavezCompressedFixtureExactly) {
  expectNumpyFixture("numpy_arrays_compressed.npz");
}

bool haveNumpy() {
  return ::access("/usr/bin/python3", X_OK) == 0 &&
         std::system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0;
}

TEST(Npz, NumpyReadsWhatNncWrites) {
  if (!haveNumpy()) GTEST_SKIP() << "/usr/bin/python3 with numpy is not available";
  TempDir dir;
  Bag arrays = numpyArrays();
  std::string path = dir.path("from_nnc.npz");
  ASSERT_TRUE(exportNpz(path, arrays.records).ok());
  std::string cmd = "/usr/bin/python3 " + std::string(NNC_SOURCE_DIR) +
                    "/scripts/make_npz_fixture.py --verify " + path + " 2>&1";
  FILE *p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[256];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) output.append(buf, n);
  int status = ::pclose(p);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_NE(output.find("numpy reads all 7 arrays exactly"), std::string::npos) << output;
}

} // namespace
