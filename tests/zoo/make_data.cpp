// Writes the zoo tests' small generated data sets (tests/zoo/CMakeLists.txt):
//   make_data OUT_DIR
//   OUT_DIR/idx/    MNIST-style IDX files: 28x28 greyscale, 10 classes,
//                   640 training and 160 test images (train-/t10k-images-idx3-ubyte,
//                   train-/t10k-labels-idx1-ubyte)
//   OUT_DIR/cifar/  CIFAR-10 binary batches: records of 1 label byte + 3072 pixel bytes
//                   (3 planes of 32x32, R then G then B); data_batch_1.bin ..
//                   data_batch_5.bin with 64 records each (320 training images) and
//                   test_batch.bin with 64 (the training binary reads all six files)
//   OUT_DIR/cifar_small/  the same with 32 records per file (160 training images, 32
//                   test images), for the slowest models (ResNet-18, Inception, VGG-16)
// Each class is a pattern a network can learn from a few hundred examples: a bright
// square blob at a class-dependent place (and, in colour, of a class-dependent colour)
// shifted by up to 2 pixels, on a noisy background. Deterministic (a fixed-seed LCG).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Rng {
  uint64_t s;
  uint32_t next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(s >> 33);
  }
  int uniform(int n) { return int(next() % uint32_t(n)); } // 0 .. n-1
};

uint8_t clampByte(int v) { return uint8_t(v < 0 ? 0 : v > 255 ? 255 : v); }

// One image of class c: `channels` planes of size x size, row-major.
std::vector<uint8_t> image(Rng &rng, int c, int channels, int size) {
  // The blob's place: classes on a 4x3 grid of cells (10 of its 12 cells).
  const int cell = size / 4, blob = size / 5;
  const int cx = (c % 4) * cell + cell / 2 + rng.uniform(5) - 2;
  const int cy = (c / 4) * (size / 3) + size / 6 + rng.uniform(5) - 2;
  // Colour: class-dependent weight per channel (greyscale: one plane, full weight).
  static const int colour[10][3] = {{255, 60, 60},  {60, 255, 60},   {60, 60, 255},  {255, 255, 60}, {255, 60, 255},
                                    {60, 255, 255}, {255, 160, 60}, {160, 60, 255}, {255, 255, 255}, {120, 200, 120}};
  std::vector<uint8_t> px(size_t(channels) * size * size);
  for (int ch = 0; ch < channels; ++ch)
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x) {
        int v = 40 + rng.uniform(60); // background noise 40..99
        if (x >= cx - blob / 2 && x <= cx + blob / 2 && y >= cy - blob / 2 && y <= cy + blob / 2)
          v = (channels == 1 ? 230 : colour[c][ch]) - rng.uniform(40);
        px[(size_t(ch) * size + y) * size + x] = clampByte(v);
      }
  return px;
}

void put32(std::ofstream &out, uint32_t v) {
  const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out.write(b, 4);
}

bool writeIdx(const std::string &dir, const std::string &prefix, int count, Rng &rng) {
  std::ofstream images(dir + "/" + prefix + "-images-idx3-ubyte", std::ios::binary);
  std::ofstream labels(dir + "/" + prefix + "-labels-idx1-ubyte", std::ios::binary);
  put32(images, 0x803);
  put32(images, uint32_t(count));
  put32(images, 28);
  put32(images, 28);
  put32(labels, 0x801);
  put32(labels, uint32_t(count));
  for (int i = 0; i < count; ++i) {
    const int c = i % 10;
    std::vector<uint8_t> px = image(rng, c, 1, 28);
    images.write(reinterpret_cast<const char *>(px.data()), std::streamsize(px.size()));
    const char label = char(c);
    labels.write(&label, 1);
  }
  return bool(images) && bool(labels);
}

bool writeCifar(const std::string &path, int count, Rng &rng) {
  std::ofstream out(path, std::ios::binary);
  for (int i = 0; i < count; ++i) {
    const int c = rng.uniform(10);
    const char label = char(c);
    out.write(&label, 1);
    std::vector<uint8_t> px = image(rng, c, 3, 32);
    out.write(reinterpret_cast<const char *>(px.data()), std::streamsize(px.size()));
  }
  return bool(out);
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string out = argv[1];
  std::filesystem::create_directories(out + "/idx");
  std::filesystem::create_directories(out + "/cifar");
  std::filesystem::create_directories(out + "/cifar_small");
  Rng rng{12345};
  bool ok = writeIdx(out + "/idx", "train", 640, rng) && writeIdx(out + "/idx", "t10k", 160, rng);
  for (int b = 1; b <= 5 && ok; ++b) ok = writeCifar(out + "/cifar/data_batch_" + std::to_string(b) + ".bin", 64, rng);
  ok = ok && writeCifar(out + "/cifar/test_batch.bin", 64, rng);
  for (int b = 1; b <= 5 && ok; ++b)
    ok = writeCifar(out + "/cifar_small/data_batch_" + std::to_string(b) + ".bin", 32, rng);
  ok = ok && writeCifar(out + "/cifar_small/test_batch.bin", 32, rng);
  if (!ok) {
    std::fprintf(stderr, "make_data: cannot write under %s\n", out.c_str());
    return 1;
  }
  std::printf("wrote %s/idx (640 + 160 images), %s/cifar (320 + 64) and %s/cifar_small (160 + 32)\n", out.c_str(),
              out.c_str(), out.c_str());
  return 0;
}
