// nn-infer-shapes on batch_norm, layer_norm, dropout and embedding.
// RUN: nnc-opt --nn-infer-shapes %s | FileCheck %s

// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME: -> (tensor<4x3xf32>, tensor<2x3x4x4xf32>, tensor<2x3x5xf32>, tensor<2x2x6x6xf64>)
func.func @batch_norm(%x2: tensor<4x3xf32>, %x4: tensor<2x3x4x4xf32>, %x3: tensor<2x3x5xf32>,
                      %c: tensor<3xf32>, %xd: tensor<2x2x6x6xf64>, %cd: tensor<2xf64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>) {
  // [N, C]
  // CHECK: nn.batch_norm %{{.*}} : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %0 = nn.batch_norm %x2, %c, %c, %c, %c : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  // [N, C, H, W]
  // CHECK: nn.batch_norm %{{.*}} {eps = 1.000000e-03 : f64, momentum = 0.000000e+00 : f64} : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  %1 = nn.batch_norm %x4, %c, %c, %c, %c {eps = 1.0e-03 : f64, momentum = 0.0 : f64} : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  // [N, C, L], momentum 1 is allowed.
  // CHECK: nn.batch_norm %{{.*}} {momentum = 1.000000e+00 : f64} : (tensor<2x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x5xf32>
  %2 = nn.batch_norm %x3, %c, %c, %c, %c {momentum = 1.0 : f64} : (tensor<2x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  // CHECK: nn.batch_norm %{{.*}} : (tensor<2x2x6x6xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) -> tensor<2x2x6x6xf64>
  %3 = nn.batch_norm %xd, %cd, %cd, %cd, %cd : (tensor<2x2x6x6xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) -> tensor<*xf64>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>
}

// layer_norm normalizes over the trailing axes named by gamma's shape.
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME: -> (tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<2x5x6xf32>)
func.func @layer_norm(%x: tensor<2x5x6xf32>, %g1: tensor<6xf32>, %g2: tensor<5x6xf32>,
                      %g3: tensor<2x5x6xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  %0 = nn.layer_norm %x, %g1, %g1 : (tensor<2x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<*xf32>
  // Two trailing axes.
  // CHECK: nn.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {eps = 1.000000e-03 : f64} : (tensor<2x5x6xf32>, tensor<5x6xf32>, tensor<5x6xf32>) -> tensor<2x5x6xf32>
  %1 = nn.layer_norm %x, %g2, %g2 {eps = 1.0e-03 : f64} : (tensor<2x5x6xf32>, tensor<5x6xf32>, tensor<5x6xf32>) -> tensor<*xf32>
  // Every axis.
  // CHECK: nn.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<2x5x6xf32>) -> tensor<2x5x6xf32>
  %2 = nn.layer_norm %x, %g3, %g3 : (tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<2x5x6xf32>) -> tensor<*xf32>
  // On an inferred input.
  // CHECK: nn.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x5x6xf32>, tensor<5x6xf32>, tensor<5x6xf32>) -> tensor<2x5x6xf32>
  %3 = nn.layer_norm %0, %g2, %g2 : (tensor<*xf32>, tensor<5x6xf32>, tensor<5x6xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @dropout(
// CHECK-SAME: -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<f64>)
func.func @dropout(%x: tensor<4x8xf32>, %s: tensor<f64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>) {
  // CHECK: nn.dropout %{{.*}} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = nn.dropout %x : (tensor<4x8xf32>) -> tensor<*xf32>
  // CHECK: nn.dropout %{{.*}} {p = 0.000000e+00 : f64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = nn.dropout %x {p = 0.0 : f64} : (tensor<4x8xf32>) -> tensor<*xf32>
  // CHECK: nn.dropout %{{.*}} {p = 9.000000e-01 : f64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = nn.dropout %1 {p = 0.9 : f64} : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK: nn.dropout %{{.*}} : (tensor<f64>) -> tensor<f64>
  %3 = nn.dropout %s : (tensor<f64>) -> tensor<*xf64>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>
}

// embedding: indices [...] and table [V, D] give [..., D].
// CHECK-LABEL: func.func @embedding(
// CHECK-SAME: -> (tensor<2x5x6xf32>, tensor<5x6xf32>, tensor<6xf32>, tensor<3x2x4x16xf64>)
func.func @embedding(%t2: tensor<2x5xi64>, %t1: tensor<5xi32>, %t0: tensor<i64>, %t3: tensor<3x2x4xi64>,
                     %table: tensor<10x6xf32>, %tabled: tensor<100x16xf64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>) {
  // 2-d indices.
  // CHECK: nn.embedding %{{.*}}, %{{.*}} : (tensor<2x5xi64>, tensor<10x6xf32>) -> tensor<2x5x6xf32>
  %0 = nn.embedding %t2, %table : (tensor<2x5xi64>, tensor<10x6xf32>) -> tensor<*xf32>
  // CHECK: nn.embedding %{{.*}}, %{{.*}} : (tensor<5xi32>, tensor<10x6xf32>) -> tensor<5x6xf32>
  %1 = nn.embedding %t1, %table : (tensor<5xi32>, tensor<10x6xf32>) -> tensor<*xf32>
  // A 0-d index picks one row.
  // CHECK: nn.embedding %{{.*}}, %{{.*}} : (tensor<i64>, tensor<10x6xf32>) -> tensor<6xf32>
  %2 = nn.embedding %t0, %table : (tensor<i64>, tensor<10x6xf32>) -> tensor<*xf32>
  // The table's element type is the result's.
  // CHECK: nn.embedding %{{.*}}, %{{.*}} : (tensor<3x2x4xi64>, tensor<100x16xf64>) -> tensor<3x2x4x16xf64>
  %3 = nn.embedding %t3, %tabled : (tensor<3x2x4xi64>, tensor<100x16xf64>) -> tensor<*xf64>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>
}
