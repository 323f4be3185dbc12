// nnc_main_model of the fake training binary (nnc_fake_train): the fake logistic model
// around the artifact named by the environment variable NNC_FAKE_ARTIFACT, read while the
// program starts, as a compiled model's constant would be there from the start.
#include "fake_logistic_model.h"

#include <cstdlib>

extern "C" const nnc_compiled_model nnc_main_model = nnc::fake::loadLogisticModel(std::getenv("NNC_FAKE_ARTIFACT"));
