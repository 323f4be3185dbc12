// The update formulas of the nine optimizers (SGD with momentum/Nesterov, Adagrad,
// Adadelta, RMSprop, Adam, AMSGrad, AdamW, NAdam), transcribed from torch.optim 1.13.
#include "autodiff/OptimizerUpdates.h"

#include "nn/Optimizers.h"

namespace nnc {

using mlir::Value;

double ParamUpdate::setting(llvm::StringRef name) const {
  auto attr = settings.getAs<mlir::FloatAttr>(name);
  return attr ? attr.getValueAsDouble() : 0.0;
}

bool ParamUpdate::flag(llvm::StringRef name) const {
  auto attr = settings.getAs<mlir::BoolAttr>(name);
  return attr && attr.getValue();
}

llvm::SmallVector<std::string> runtimeHyperparameters(llvm::StringRef optimizer) {
  llvm::SmallVector<std::string> names;
  if (const mlir::nn::OptimizerSpec *spec = mlir::nn::findOptimizer(optimizer))
    for (const mlir::nn::Hyperparameter &h : spec->hyperparameters) {
      if (h.kind == mlir::nn::Hyperparameter::Kind::Float) names.push_back(h.name.str());
      if (h.kind == mlir::nn::Hyperparameter::Kind::FloatPair) names.append({"beta1", "beta2"});
    }
  return names;
}

namespace {

// grad + weight_decay · param, when weight decay is on (the L2 form).
Value withWeightDecay(ParamUpdate &u, Value grad) {
  if (u.setting("weight_decay") == 0) return grad;
  return u.b.add(grad, u.b.mul(u.hyper("weight_decay"), u.param));
}

// a·x + (1 - a)·y: the exponential moving averages every adaptive optimizer keeps.
Value lerp(ParamUpdate &u, Value a, Value x, Value y) {
  return u.b.add(u.b.mul(a, x), u.b.mul(u.b.sub(u.b.scalar(1.0, a), a), y));
}

Value sgd(ParamUpdate &u) {
  auto &b = u.b;
  Value g = withWeightDecay(u, u.grad);
  if (u.setting("momentum") != 0) {
    Value momentum = u.hyper("momentum");
    Value buf = u.loadState("momentum_buffer", 0.0);
    // The first step starts the buffer at g; later steps decay it.
    Value decayed = b.add(b.mul(momentum, buf), b.mul(b.sub(b.scalar(1.0, g), u.hyper("dampening")), g));
    Value first = b.compare(u.step, b.scalar(1.0, u.step), "eq");
    buf = b.select(first, g, decayed);
    u.storeState("momentum_buffer", buf);
    g = u.flag("nesterov") ? b.add(g, b.mul(momentum, buf)) : buf;
  }
  return b.sub(u.param, b.mul(u.hyper("lr"), g));
}

Value adagrad(ParamUpdate &u) {
  auto &b = u.b;
  Value g = withWeightDecay(u, u.grad);
  Value clr = u.hyper("lr");
  if (u.setting("lr_decay") != 0)
    clr = b.div(clr, b.add(b.scalar(1.0, g), b.mul(b.sub(u.step, b.scalar(1.0, g)), u.hyper("lr_decay"))));
  Value sum = b.add(u.loadState("sum", u.setting("initial_accumulator_value")), b.mul(g, g));
  u.storeState("sum", sum);
  Value std = b.add(b.op("sqrt", {sum}), u.hyper("eps"));
  return b.sub(u.param, b.mul(clr, b.div(g, std)));
}

Value adadelta(ParamUpdate &u) {
  auto &b = u.b;
  Value g = withWeightDecay(u, u.grad);
  Value rho = u.hyper("rho"), eps = u.hyper("eps");
  Value squareAvg = lerp(u, rho, u.loadState("square_avg", 0.0), b.mul(g, g));
  Value std = b.op("sqrt", {b.add(squareAvg, eps)});
  Value accDelta = u.loadState("acc_delta", 0.0);
  Value delta = b.mul(b.div(b.op("sqrt", {b.add(accDelta, eps)}), std), g);
  u.storeState("square_avg", squareAvg);
  u.storeState("acc_delta", lerp(u, rho, accDelta, b.mul(delta, delta)));
  return b.sub(u.param, b.mul(u.hyper("lr"), delta));
}

Value rmsprop(ParamUpdate &u) {
  auto &b = u.b;
  Value g = withWeightDecay(u, u.grad);
  Value alpha = u.hyper("alpha");
  Value squareAvg = lerp(u, alpha, u.loadState("square_avg", 0.0), b.mul(g, g));
  u.storeState("square_avg", squareAvg);
  Value avg;
  if (u.flag("centered")) {
    Value gradAvg = lerp(u, alpha, u.loadState("grad_avg", 0.0), g);
    u.storeState("grad_avg", gradAvg);
    avg = b.op("sqrt", {b.sub(squareAvg, b.mul(gradAvg, gradAvg))});
  } else {
    avg = b.op("sqrt", {squareAvg});
  }
  avg = b.add(avg, u.hyper("eps"));
  if (u.setting("momentum") > 0) {
    Value buf = b.add(b.mul(u.hyper("momentum"), u.loadState("momentum_buffer", 0.0)), b.div(g, avg));
    u.storeState("momentum_buffer", buf);
    return b.sub(u.param, b.mul(u.hyper("lr"), buf));
  }
  return b.sub(u.param, b.mul(u.hyper("lr"), b.div(g, avg)));
}

// Adam and AdamW share everything but where the weight decay goes.
Value adamFamily(ParamUpdate &u, bool decoupled) {
  auto &b = u.b;
  Value param = u.param, g = u.grad;
  if (decoupled) {
    if (u.setting("weight_decay") != 0)
      param = b.mul(param, b.sub(b.scalar(1.0, g), b.mul(u.hyper("lr"), u.hyper("weight_decay"))));
  } else {
    g = withWeightDecay(u, g);
  }
  Value beta1 = u.hyper("beta1"), beta2 = u.hyper("beta2");
  Value expAvg = lerp(u, beta1, u.loadState("exp_avg", 0.0), g);
  Value expAvgSq = lerp(u, beta2, u.loadState("exp_avg_sq", 0.0), b.mul(g, g));
  u.storeState("exp_avg", expAvg);
  u.storeState("exp_avg_sq", expAvgSq);
  Value one = b.scalar(1.0, g);
  Value correction1 = b.sub(one, b.op("pow", {beta1, u.step}));
  Value correction2 = b.sub(one, b.op("pow", {beta2, u.step}));
  Value second = expAvgSq;
  if (u.flag("amsgrad")) {
    second = b.op("maximum", {u.loadState("max_exp_avg_sq", 0.0), expAvgSq});
    u.storeState("max_exp_avg_sq", second);
  }
  Value denom = b.add(b.div(b.op("sqrt", {second}), b.op("sqrt", {correction2})), u.hyper("eps"));
  Value stepSize = b.div(u.hyper("lr"), correction1);
  return b.sub(param, b.mul(stepSize, b.div(expAvg, denom)));
}

Value nadam(ParamUpdate &u) {
  auto &b = u.b;
  Value g = withWeightDecay(u, u.grad);
  Value beta1 = u.hyper("beta1"), beta2 = u.hyper("beta2"), psi = u.hyper("momentum_decay");
  Value one = b.scalar(1.0, g), half = b.scalar(0.5, g), base = b.scalar(0.96, g);
  // mu_t = beta1·(1 - 0.5·0.96^(t·psi)), and the running product of the mu's.
  auto mu = [&](Value t) { return b.mul(beta1, b.sub(one, b.mul(half, b.op("pow", {base, b.mul(t, psi)})))); };
  Value muT = mu(u.step), muNext = mu(b.add(u.step, one));
  Value muProduct = b.mul(u.loadState("mu_product", 1.0), muT);
  u.storeState("mu_product", muProduct);
  Value expAvg = lerp(u, beta1, u.loadState("exp_avg", 0.0), g);
  Value expAvgSq = lerp(u, beta2, u.loadState("exp_avg_sq", 0.0), b.mul(g, g));
  u.storeState("exp_avg", expAvg);
  u.storeState("exp_avg_sq", expAvgSq);
  Value correction2 = b.sub(one, b.op("pow", {beta2, u.step}));
  Value denom = b.add(b.op("sqrt", {b.div(expAvgSq, correction2)}), u.hyper("eps"));
  Value lr = u.hyper("lr");
  Value gradStep = b.div(b.mul(lr, b.sub(one, muT)), b.sub(one, muProduct));
  // torch 1.13 computes mu_product_next = mu_product · mu_t · mu_{t+1} with mu_product
  // already including mu_t, so mu_t counts twice; torch 2.0 changed it to
  // mu_product · mu_{t+1}. We match 1.13, the version this file transcribes.
  Value muProductNext = b.mul(b.mul(muProduct, muT), muNext);
  Value avgStep = b.div(b.mul(lr, muNext), b.sub(one, muProductNext));
  Value p = b.sub(u.param, b.mul(gradStep, b.div(g, denom)));
  return b.sub(p, b.mul(avgStep, b.div(expAvg, denom)));
}

} // namespace

mlir::FailureOr<Value> buildOptimizerUpdate(llvm::StringRef optimizer, ParamUpdate &update) {
  Value result;
  if (optimizer == "sgd") result = sgd(update);
  else if (optimizer == "adagrad") result = adagrad(update);
  else if (optimizer == "adadelta") result = adadelta(update);
  else if (optimizer == "rmsprop") result = rmsprop(update);
  else if (optimizer == "adam") result = adamFamily(update, /*decoupled=*/false);
  else if (optimizer == "adamw") result = adamFamily(update, /*decoupled=*/true);
  else if (optimizer == "nadam") result = nadam(update);
  else return mlir::failure();
  if (update.b.failed()) return mlir::failure();
  return result;
}

} // namespace nnc
