// Gradient rules of batch norm (evaluation and training forms), layer norm, dropout and
// embedding, and the training forms of batch norm and dropout.
#include "GradientSupport.h"

namespace mlir::nn {

// A per-channel vector [C] shaped to broadcast against [N, C, spatial...].
static Value perChannel(NNBuilder &b, Value v, int64_t rank) {
  Shape shape(rank, 1);
  shape[1] = shapeOf(v)[0];
  return b.reshape(v, shape);
}

LogicalResult BatchNormOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  // Evaluation form: y = (x - mean)·invstd·gamma + beta with the running statistics.
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value x = getInput(), dy = dys[0];
    int64_t rank = shapeOf(x).size();
    Value invstd = b.op("rsqrt", {b.add(getRunningVar(), b.scalar(getEps().convertToDouble(), x))});
    Value xhat = b.mul(b.sub(x, perChannel(b, getRunningMean(), rank)), perChannel(b, invstd, rank));
    Shape axes = axesExcept(rank, 1);
    dxs.push_back(b.mul(dy, perChannel(b, b.mul(invstd, getGamma()), rank)));
    dxs.push_back(b.sum(b.mul(dy, xhat), axes, false));
    dxs.push_back(b.sum(dy, axes, false));
    dxs.append({Value(), Value()}); // running statistics are state, not differentiated
  });
}

LogicalResult BatchNormTrainOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  // With the batch statistics: dx = gamma·invstd/n · (n·dy - Σdy - xhat·Σ(dy·xhat)), the
  // sums per channel over the n = N·spatial values. The mean and variance results feed
  // only the running statistics, so their gradients are not needed.
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value x = getInput(), dy = dys[0] ? dys[0] : b.zerosLike(getResult());
    int64_t rank = shapeOf(x).size();
    Shape axes = axesExcept(rank, 1);
    double n = 1;
    for (int64_t a : axes) n *= shapeOf(x)[a];
    Value invstd = b.op("rsqrt", {b.add(getVariance(), b.scalar(getEps().convertToDouble(), x))});
    Value xhat = b.mul(b.sub(x, perChannel(b, getMean(), rank)), perChannel(b, invstd, rank));
    Value sumDy = b.sum(dy, axes, true), sumDyXhat = b.sum(b.mul(dy, xhat), axes, true);
    Value inner = b.sub(b.sub(b.mul(dy, b.scalar(n, x)), sumDy), b.mul(xhat, sumDyXhat));
    Value scale = perChannel(b, b.div(b.mul(getGamma(), invstd), b.scalar(n, x)), rank);
    dxs.push_back(b.mul(scale, inner));
    dxs.push_back(b.reshape(sumDyXhat, shapeOf(getGamma())));
    dxs.push_back(b.reshape(sumDy, shapeOf(getBeta())));
  });
}

// The symbol a state operand is loaded from, if it is.
static FlatSymbolRefAttr loadedSymbol(Value v) {
  auto load = v.getDefiningOp<LoadOp>();
  return load ? load.getNameAttr() : FlatSymbolRefAttr();
}

FailureOr<Value> BatchNormOp::buildTrainingForm(OpBuilder &builder, Value, Value, int64_t) {
  NNBuilder b(builder, getLoc());
  Value x = getInput();
  auto results = b.ops("batch_norm_train", {x, getGamma(), getBeta()},
                       {b.attr("eps", getEps().convertToDouble())}, 3);
  // Running statistics move by momentum, the variance unbiased (PyTorch's convention).
  double m = getMomentum().convertToDouble(), n = 1;
  for (int64_t a : axesExcept(shapeOf(x).size(), 1)) n *= shapeOf(x)[a];
  Value keep = b.scalar(1.0 - m, x), move = b.scalar(m, x);
  Value mean = b.add(b.mul(getRunningMean(), keep), b.mul(results[1], move));
  Value unbiased = b.mul(results[2], b.scalar(n > 1 ? n / (n - 1) : 1.0, x));
  Value var = b.add(b.mul(getRunningVar(), keep), b.mul(unbiased, move));
  if (b.failed()) return failure();
  FlatSymbolRefAttr meanSym = loadedSymbol(getRunningMean()), varSym = loadedSymbol(getRunningVar());
  if (!meanSym || !varSym)
    return emitError() << "batch_norm: running statistics must be buffers to train";
  builder.create<StoreOp>(getLoc(), meanSym, mean);
  builder.create<StoreOp>(getLoc(), varSym, var);
  return results[0];
}

LogicalResult LayerNormOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  // Over the D trailing values: dx = invstd/D · (D·g - Σg - xhat·Σ(g·xhat)), g = dy·gamma.
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value x = getInput(), dy = dys[0];
    int64_t rank = shapeOf(x).size(), k = shapeOf(getGamma()).size();
    Shape axes, lead;
    double d = 1;
    for (int64_t i = 0; i < rank; ++i) {
      if (i >= rank - k) axes.push_back(i), d *= shapeOf(x)[i];
      else lead.push_back(i);
    }
    Value centered = b.sub(x, b.mean(x, axes, true));
    Value var = b.mean(b.mul(centered, centered), axes, true);
    Value invstd = b.op("rsqrt", {b.add(var, b.scalar(getEps().convertToDouble(), x))});
    Value xhat = b.mul(centered, invstd);
    Value g = b.mul(dy, getGamma());
    Value inner = b.sub(b.sub(b.mul(g, b.scalar(d, x)), b.sum(g, axes, true)),
                        b.mul(xhat, b.sum(b.mul(g, xhat), axes, true)));
    dxs.push_back(b.mul(b.div(invstd, b.scalar(d, x)), inner));
    Value dgamma = b.mul(dy, xhat), dbeta = dy;
    dxs.push_back(lead.empty() ? dgamma : b.sum(dgamma, lead, false));
    dxs.push_back(lead.empty() ? dbeta : b.sum(dbeta, lead, false));
  });
}

LogicalResult DropoutOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  // The evaluation form is the identity; the training form is a product with the mask,
  // whose gradient the product's rule gives.
  dxs.push_back(dys[0]);
  return success();
}

FailureOr<Value> DropoutOp::buildTrainingForm(OpBuilder &builder, Value seed, Value step, int64_t stream) {
  NNBuilder b(builder, getLoc());
  Value x = getInput();
  std::string dtype = dtypeName(getElementTypeOrSelf(x.getType()));
  Value mask = b.op("dropout_mask", {seed, step},
                    {b.attr("shape", shapeOf(x)), b.attr("p", getP().convertToDouble()),
                     b.attr("stream", stream), b.attr("dtype", llvm::StringRef(dtype))});
  Value y = b.mul(x, mask);
  if (b.failed()) return failure();
  return y;
}

LogicalResult EmbeddingOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    dxs.push_back(Value()); // indices
    dxs.push_back(b.op("embedding_backward", {getIndices(), dys[0]},
                       {b.attr("num_embeddings", shapeOf(getTable())[0])}));
  });
}

} // namespace mlir::nn
