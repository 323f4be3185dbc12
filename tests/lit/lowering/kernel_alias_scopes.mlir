// RUN: nnc-opt --nn-kernel-alias-scopes %s | FileCheck %s
// Loads and stores through a kernel argument (by getelementptr, also through the
// memref descriptor built from the arguments) get their group's scope and are marked
// as not aliasing the other groups; other accesses get nothing.

// CHECK-DAG: #[[DOMAIN:.*]] = #llvm.alias_scope_domain<id = {{.*}}, description = "kernel">
// CHECK-DAG: #[[G0:.*]] = #llvm.alias_scope<id = {{.*}}, domain = #[[DOMAIN]], description = "buffer 0">
// CHECK-DAG: #[[G1:.*]] = #llvm.alias_scope<id = {{.*}}, domain = #[[DOMAIN]], description = "buffer 1">
// CHECK-DAG: #[[G2:.*]] = #llvm.alias_scope<id = {{.*}}, domain = #[[DOMAIN]], description = "buffer 2">

// CHECK-LABEL: llvm.func @kernel(
// CHECK-NOT: nn.alias_groups
// CHECK: llvm.load %{{.*}} {alias_scopes = [#[[G0]]], noalias_scopes = [#[[G1]], #[[G2]]]}
// CHECK: llvm.store %{{.*}}, %{{.*}} {alias_scopes = [#[[G1]]], noalias_scopes = [#[[G0]], #[[G2]]]}
// CHECK: llvm.store %{{.*}}, %{{.*}} {alias_scopes = [#[[G2]]], noalias_scopes = [#[[G0]], #[[G1]]]}
// CHECK: llvm.load %arg6 : !llvm.ptr -> f32
// CHECK-NEXT: llvm.return
llvm.func @kernel(%a0: !llvm.ptr, %a1: !llvm.ptr, %aoff: i64, %b0: !llvm.ptr, %b1: !llvm.ptr, %boff: i64,
                  %unknown: !llvm.ptr, %c1: !llvm.ptr)
    attributes {nn.alias_groups = array<i64: 0, 0, -1, 1, 1, -1, -1, 2>} {
  %d0 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64)>
  %d1 = llvm.insertvalue %a0, %d0[0] : !llvm.struct<(ptr, ptr, i64)>
  %d2 = llvm.insertvalue %a1, %d1[1] : !llvm.struct<(ptr, ptr, i64)>
  %d3 = llvm.insertvalue %aoff, %d2[2] : !llvm.struct<(ptr, ptr, i64)>
  %aligned = llvm.extractvalue %d3[1] : !llvm.struct<(ptr, ptr, i64)>
  %pa = llvm.getelementptr %aligned[%aoff] : (!llvm.ptr, i64) -> !llvm.ptr, f32
  %v = llvm.load %pa : !llvm.ptr -> f32
  %pb0 = llvm.getelementptr %b1[%boff] : (!llvm.ptr, i64) -> !llvm.ptr, f32
  %pb = llvm.getelementptr %pb0[1] : (!llvm.ptr) -> !llvm.ptr, f32
  llvm.store %v, %pb : f32, !llvm.ptr
  llvm.store %v, %c1 : f32, !llvm.ptr
  %w = llvm.load %unknown : !llvm.ptr -> f32
  llvm.return
}

// One group only: nothing to tell apart, no scopes (the attribute still goes).
// CHECK-LABEL: llvm.func @single(
// CHECK-NOT: nn.alias_groups
// CHECK: llvm.load %arg0 : !llvm.ptr -> f32
// CHECK: llvm.store %{{.*}}, %arg1 : f32, !llvm.ptr
llvm.func @single(%p: !llvm.ptr, %q: !llvm.ptr) attributes {nn.alias_groups = array<i64: 0, 0>} {
  %v = llvm.load %p : !llvm.ptr -> f32
  llvm.store %v, %q : f32, !llvm.ptr
  llvm.return
}
