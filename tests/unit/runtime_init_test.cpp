// The runtime and the reference interpreter start training from identical weights: for
// every zoo model and a seed, each state tensor the runtime's session initializes from
// the compiled artifact equals, bit for bit, what the interpreter draws from the module.
#include "driver/Compile.h"
#include "emit/ArtifactWriter.h"
#include "interpreter/Interpreter.h"
#include "nnc/nnc.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

namespace {

class RuntimeInit : public ::testing::TestWithParam<const char *> {};

TEST_P(RuntimeInit, MatchesTheInterpreterBitForBit) {
  std::string model = std::string(NNC_MODELS_DIR) + "/" + GetParam() + ".graph";
  nnc::Pipeline pipeline;
  ASSERT_TRUE(pipeline.read(model));
  auto ast = pipeline.parse();
  ASSERT_TRUE(ast);
  nnc::CompileOptions options;
  options.emit = nnc::Stage::Grad;
  options.batch = 2;
  auto module = pipeline.lower(*ast, options);
  ASSERT_TRUE(module);
  auto bytes = nnc::writeArtifact(*module);
  ASSERT_TRUE(mlir::succeeded(bytes));
  std::string path = ::testing::TempDir() + "/" + GetParam() + ".nnca";
  std::ofstream(path, std::ios::binary) << *bytes;

  constexpr uint64_t kSeed = 1234;
  nnc::interp::Interpreter interpreter(*module);
  interpreter.initialize(kSeed);

  nnc_model *m = nullptr;
  nnc_session *s = nullptr;
  ASSERT_EQ(nnc_model_load(path.c_str(), &m), nullptr);
  ASSERT_EQ(nnc_session_create(m, kSeed, &s), nullptr);
  size_t count = nnc_session_state_count(s);
  EXPECT_EQ(count, interpreter.state().size());
  for (size_t i = 0; i < count; ++i) {
    nnc_tensor_info info;
    ASSERT_EQ(nnc_session_state_at(s, i, &info), nullptr);
    auto it = interpreter.state().find(info.name);
    ASSERT_NE(it, interpreter.state().end()) << info.name;
    const nnc::interp::Tensor &expected = it->second;
    ASSERT_EQ(size_t(expected.numel()) * 4, info.bytes) << info.name; // the zoo is f32
    std::vector<float> values(expected.data.begin(), expected.data.end());
    EXPECT_EQ(std::memcmp(values.data(), info.data, info.bytes), 0) << info.name << " differs";
  }
  nnc_session_free(s);
  nnc_model_free(m);
}

INSTANTIATE_TEST_SUITE_P(Zoo, RuntimeInit,
                         ::testing::Values("perceptron", "logistic", "mlp", "lenet5", "cnn_bn_dropout",
                                           "alexnet", "vgg16", "resnet18", "inception", "transformer"));

} // namespace
