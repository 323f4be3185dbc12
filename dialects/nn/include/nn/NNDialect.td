// The `nn` dialect: tensor-level neural-network operations with static shapes.
#ifndef NN_DIALECT_TD
#define NN_DIALECT_TD

include "mlir/IR/OpBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::mlir::nn";
  let summary = "Neural-network operations of the nnc compiler";
  let description = [{
    Operations on tensors that a `.graph` file can name, plus the module-level
    declarations of parameters and the training configuration. Every op infers its
    result types from its operands and attributes (ShapeInferenceOpInterface), so the
    frontend builds ops with unranked placeholder results and the `nn-infer-shapes`
    pass makes every type static.
  }];
  // Attributes stay in the op's attribute dictionary so that the frontend can build any
  // op generically by name and fill in ODS defaults (populateDefaultAttrs).
  let usePropertiesForAttributes = 0;
}

#endif // NN_DIALECT_TD
