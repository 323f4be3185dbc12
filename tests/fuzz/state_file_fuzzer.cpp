// libFuzzer target: any bytes through the runtime's artifact and checkpoint parsers must
// be read or rejected with an error, never crash (ASan + UBSan).
#include "artifact/Artifact.h"
#include "checkpoint/Checkpoint.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto image = nnc::rt::AlignedBuffer::allocate(size, "fuzz input");
  if (!image) return 0;
  if (size) std::memcpy(image.value().data(), data, size);
  auto artifact = nnc::rt::parseArtifact(image.value(), "fuzz.nnca");
  if (artifact) (void)artifact.value().identity();
  (void)nnc::rt::parseCheckpoint(std::move(image).value(), "fuzz.nnck");
  return 0;
}
