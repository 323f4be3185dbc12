// nn-infer-shapes on conv1d/conv2d, max/avg pooling and global average pooling.
// Spatial sizes follow PyTorch: (in + 2*padding - dilation*(kernel - 1) - 1) / stride + 1.
// RUN: nnc-opt --nn-infer-shapes %s | FileCheck %s

// CHECK-LABEL: func.func @conv1d(
// CHECK-SAME: -> (tensor<2x6x8xf32>, tensor<2x6x10xf32>, tensor<2x6x4xf32>, tensor<2x6x6xf32>, tensor<2x6x8xf32>, tensor<2x6x4xf32>, tensor<2x8x8xf32>)
func.func @conv1d(%x: tensor<2x4x10xf32>, %w: tensor<6x4x3xf32>, %b: tensor<6xf32>,
                  %wg: tensor<6x2x3xf32>, %wd: tensor<8x1x3xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>) {
  // With bias, defaults: 10 - 3 + 1 = 8.
  // CHECK: nn.conv1d %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>, tensor<6xf32>) -> tensor<2x6x8xf32>
  %0 = nn.conv1d %x, %w, %b : (tensor<2x4x10xf32>, tensor<6x4x3xf32>, tensor<6xf32>) -> tensor<*xf32>
  // Same padding: 12 - 3 + 1 = 10.
  // CHECK: nn.conv1d %{{.*}}, %{{.*}} {padding = array<i64: 1>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x10xf32>
  %1 = nn.conv1d %x, %w {padding = array<i64: 1>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<*xf32>
  // Stride 2: (10 - 3) / 2 + 1 = 4.
  // CHECK: nn.conv1d %{{.*}}, %{{.*}} {stride = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x4xf32>
  %2 = nn.conv1d %x, %w {stride = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<*xf32>
  // Dilation 2: the window spans 5, 10 - 5 + 1 = 6.
  // CHECK: nn.conv1d %{{.*}}, %{{.*}} {dilation = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x6xf32>
  %3 = nn.conv1d %x, %w {dilation = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<*xf32>
  // Two groups: the weight has 4 / 2 input channels.
  // CHECK: nn.conv1d %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<2x4x10xf32>, tensor<6x2x3xf32>) -> tensor<2x6x8xf32>
  %4 = nn.conv1d %x, %wg {groups = 2 : i64} : (tensor<2x4x10xf32>, tensor<6x2x3xf32>) -> tensor<*xf32>
  // Everything at once: (10 + 4 - 5) / 3 + 1 = 4.
  // CHECK: nn.conv1d %{{.*}}, %{{.*}}, %{{.*}} {dilation = array<i64: 2>, padding = array<i64: 2>, stride = array<i64: 3>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>, tensor<6xf32>) -> tensor<2x6x4xf32>
  %5 = nn.conv1d %x, %w, %b {padding = array<i64: 2>, stride = array<i64: 3>, dilation = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>, tensor<6xf32>) -> tensor<*xf32>
  // Depthwise with a channel multiplier of 2.
  // CHECK: nn.conv1d %{{.*}}, %{{.*}} {groups = 4 : i64} : (tensor<2x4x10xf32>, tensor<8x1x3xf32>) -> tensor<2x8x8xf32>
  %6 = nn.conv1d %x, %wd {groups = 4 : i64} : (tensor<2x4x10xf32>, tensor<8x1x3xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @conv2d(
// CHECK-SAME: -> (tensor<2x6x6x6xf32>, tensor<2x6x8x8xf32>, tensor<2x6x8x6xf32>, tensor<2x6x4x8xf32>, tensor<2x6x4x4xf32>, tensor<2x6x6x8xf32>, tensor<2x8x6x6xf32>, tensor<2x4x8x8xf32>, tensor<2x6x8x4xf32>, tensor<2x6x3x3xf32>, tensor<1x64x112x112xf32>, tensor<64x16x24x24xf32>)
func.func @conv2d(%x: tensor<2x3x8x8xf32>, %w: tensor<6x3x3x3xf32>, %b: tensor<6xf32>,
                  %x4: tensor<2x4x8x8xf32>, %wg: tensor<8x2x3x3xf32>, %wd: tensor<4x1x3x3xf32>,
                  %wr: tensor<6x3x1x5xf32>, %x7: tensor<2x3x7x7xf32>,
                  %img: tensor<1x3x224x224xf32>, %wstem: tensor<64x3x7x7xf32>,
                  %mnist: tensor<64x1x28x28xf32>, %w1: tensor<6x1x5x5xf32>, %w2: tensor<16x6x5x5xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x6x6xf32>
  %0 = nn.conv2d %x, %w : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  // One padding entry applies to both axes.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}}, %{{.*}} {padding = array<i64: 1>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>, tensor<6xf32>) -> tensor<2x6x8x8xf32>
  %1 = nn.conv2d %x, %w, %b {padding = array<i64: 1>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>, tensor<6xf32>) -> tensor<*xf32>
  // Per-axis padding.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 1, 0>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x8x6xf32>
  %2 = nn.conv2d %x, %w {padding = array<i64: 1, 0>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  // Per-axis stride: (10 - 3) / 2 + 1 = 4 and (10 - 3) / 1 + 1 = 8.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 1>, stride = array<i64: 2, 1>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x4x8xf32>
  %3 = nn.conv2d %x, %w {stride = array<i64: 2, 1>, padding = array<i64: 1>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {dilation = array<i64: 2>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x4x4xf32>
  %4 = nn.conv2d %x, %w {dilation = array<i64: 2>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  // Per-axis dilation and padding: H 8 - 3 + 1 = 6, W 12 - 5 + 1 = 8.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {dilation = array<i64: 1, 2>, padding = array<i64: 0, 2>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x6x8xf32>
  %5 = nn.conv2d %x, %w {dilation = array<i64: 1, 2>, padding = array<i64: 0, 2>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  // Grouped: 4 input channels in 2 groups, 8 output channels.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<2x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<2x8x6x6xf32>
  %6 = nn.conv2d %x4, %wg {groups = 2 : i64} : (tensor<2x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<*xf32>
  // Depthwise.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {groups = 4 : i64, padding = array<i64: 1>} : (tensor<2x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x8x8xf32>
  %7 = nn.conv2d %x4, %wd {groups = 4 : i64, padding = array<i64: 1>} : (tensor<2x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<*xf32>
  // A non-square kernel.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} : (tensor<2x3x8x8xf32>, tensor<6x3x1x5xf32>) -> tensor<2x6x8x4xf32>
  %8 = nn.conv2d %x, %wr : (tensor<2x3x8x8xf32>, tensor<6x3x1x5xf32>) -> tensor<*xf32>
  // A stride that does not divide: floor((7 - 3) / 2) + 1 = 3.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {stride = array<i64: 2>} : (tensor<2x3x7x7xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x3x3xf32>
  %9 = nn.conv2d %x7, %w {stride = array<i64: 2>} : (tensor<2x3x7x7xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  // ResNet stem: (224 + 6 - 7) / 2 + 1 = 112.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 3>, stride = array<i64: 2>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x112x112xf32>
  %10 = nn.conv2d %img, %wstem {stride = array<i64: 2>, padding = array<i64: 3>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<*xf32>
  // LeNet: two convolutions chained.
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 2>} : (tensor<64x1x28x28xf32>, tensor<6x1x5x5xf32>) -> tensor<64x6x28x28xf32>
  %c1 = nn.conv2d %mnist, %w1 {padding = array<i64: 2>} : (tensor<64x1x28x28xf32>, tensor<6x1x5x5xf32>) -> tensor<*xf32>
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} : (tensor<64x6x28x28xf32>, tensor<16x6x5x5xf32>) -> tensor<64x16x24x24xf32>
  %11 = nn.conv2d %c1, %w2 : (tensor<*xf32>, tensor<16x6x5x5xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// Pooling: stride defaults to the kernel; (in + 2*padding - kernel) / stride + 1.
// CHECK-LABEL: func.func @pool(
// CHECK-SAME: -> (tensor<2x4x5xf32>, tensor<2x4x3xf32>, tensor<2x4x8xf32>, tensor<2x4x5xf32>, tensor<2x3x3x3xf32>, tensor<2x3x3x2xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x6x4xf32>, tensor<64x6x14x14xf32>)
func.func @pool(%x1: tensor<2x4x10xf32>, %x7: tensor<2x3x7x7xf32>, %x8: tensor<2x3x8x8xf32>,
                %big: tensor<64x6x28x28xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.max_pool1d %{{.*}} {kernel = array<i64: 2>} : (tensor<2x4x10xf32>) -> tensor<2x4x5xf32>
  %0 = nn.max_pool1d %x1 {kernel = array<i64: 2>} : (tensor<2x4x10xf32>) -> tensor<*xf32>
  // Stride 3 by default: (10 - 3) / 3 + 1 = 3.
  // CHECK: nn.max_pool1d %{{.*}} {kernel = array<i64: 3>} : (tensor<2x4x10xf32>) -> tensor<2x4x3xf32>
  %1 = nn.max_pool1d %x1 {kernel = array<i64: 3>} : (tensor<2x4x10xf32>) -> tensor<*xf32>
  // CHECK: nn.max_pool1d %{{.*}} {kernel = array<i64: 3>, stride = array<i64: 1>} : (tensor<2x4x10xf32>) -> tensor<2x4x8xf32>
  %2 = nn.max_pool1d %x1 {kernel = array<i64: 3>, stride = array<i64: 1>} : (tensor<2x4x10xf32>) -> tensor<*xf32>
  // CHECK: nn.max_pool1d %{{.*}} {kernel = array<i64: 3>, padding = array<i64: 1>, stride = array<i64: 2>} : (tensor<2x4x10xf32>) -> tensor<2x4x5xf32>
  %3 = nn.max_pool1d %x1 {kernel = array<i64: 3>, stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x4x10xf32>) -> tensor<*xf32>
  // Floor: (7 - 2) / 2 + 1 = 3.
  // CHECK: nn.max_pool2d %{{.*}} {kernel = array<i64: 2>} : (tensor<2x3x7x7xf32>) -> tensor<2x3x3x3xf32>
  %4 = nn.max_pool2d %x7 {kernel = array<i64: 2>} : (tensor<2x3x7x7xf32>) -> tensor<*xf32>
  // Per-axis kernel, and the default stride follows it per axis.
  // CHECK: nn.max_pool2d %{{.*}} {kernel = array<i64: 2, 3>} : (tensor<2x3x7x7xf32>) -> tensor<2x3x3x2xf32>
  %5 = nn.max_pool2d %x7 {kernel = array<i64: 2, 3>} : (tensor<2x3x7x7xf32>) -> tensor<*xf32>
  // CHECK: nn.max_pool2d %{{.*}} {kernel = array<i64: 3>, padding = array<i64: 1>, stride = array<i64: 2>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xf32>
  %6 = nn.max_pool2d %x8 {kernel = array<i64: 3>, stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  // An explicit empty stride means the kernel.
  // CHECK: nn.max_pool2d %{{.*}} {kernel = array<i64: 2>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xf32>
  %7 = nn.max_pool2d %x8 {kernel = array<i64: 2>, stride = array<i64>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  // CHECK: nn.max_pool2d %{{.*}} {kernel = array<i64: 3, 2>, stride = array<i64: 1, 2>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x6x4xf32>
  %8 = nn.max_pool2d %x8 {kernel = array<i64: 3, 2>, stride = array<i64: 1, 2>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  // CHECK: nn.max_pool2d %{{.*}} {kernel = array<i64: 2>} : (tensor<64x6x28x28xf32>) -> tensor<64x6x14x14xf32>
  %9 = nn.max_pool2d %big {kernel = array<i64: 2>} : (tensor<64x6x28x28xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>
}

// CHECK-LABEL: func.func @avg_pool(
// CHECK-SAME: -> (tensor<2x3x5x5xf32>, tensor<2x3x8x8xf32>, tensor<2x3x3x3xf32>, tensor<2x3x4x8xf32>)
func.func @avg_pool(%x7: tensor<2x3x7x7xf32>, %x8: tensor<2x3x8x8xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // Padding: (8 + 2 - 2) / 2 + 1 = 5.
  // CHECK: nn.avg_pool2d %{{.*}} {kernel = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x5x5xf32>
  %0 = nn.avg_pool2d %x8 {kernel = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  // CHECK: nn.avg_pool2d %{{.*}} {kernel = array<i64: 3>, padding = array<i64: 1>, stride = array<i64: 1>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x8x8xf32>
  %1 = nn.avg_pool2d %x8 {kernel = array<i64: 3>, stride = array<i64: 1>, padding = array<i64: 1>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  // count_include_pad does not change the shape.
  // CHECK: nn.avg_pool2d %{{.*}} {count_include_pad = false, kernel = array<i64: 2>} : (tensor<2x3x7x7xf32>) -> tensor<2x3x3x3xf32>
  %2 = nn.avg_pool2d %x7 {kernel = array<i64: 2>, count_include_pad = false} : (tensor<2x3x7x7xf32>) -> tensor<*xf32>
  // Per-axis kernel, stride and padding: H (8 + 2 - 3) / 2 + 1 = 4, W (8 - 1) / 1 + 1 = 8.
  // CHECK: nn.avg_pool2d %{{.*}} {kernel = array<i64: 3, 1>, padding = array<i64: 1, 0>, stride = array<i64: 2, 1>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x8xf32>
  %3 = nn.avg_pool2d %x8 {kernel = array<i64: 3, 1>, stride = array<i64: 2, 1>, padding = array<i64: 1, 0>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @global_avg_pool(
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x6xf64>)
func.func @global_avg_pool(%a: tensor<2x3x8x8xf32>, %b: tensor<2x3x10xf32>, %c: tensor<2x3x4x4x4xf32>,
                           %d: tensor<2x6x5x5xf64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>) {
  // CHECK: nn.global_avg_pool %{{.*}} : (tensor<2x3x8x8xf32>) -> tensor<2x3xf32>
  %0 = nn.global_avg_pool %a : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  // CHECK: nn.global_avg_pool %{{.*}} : (tensor<2x3x10xf32>) -> tensor<2x3xf32>
  %1 = nn.global_avg_pool %b : (tensor<2x3x10xf32>) -> tensor<*xf32>
  // CHECK: nn.global_avg_pool %{{.*}} : (tensor<2x3x4x4x4xf32>) -> tensor<2x3xf32>
  %2 = nn.global_avg_pool %c : (tensor<2x3x4x4x4xf32>) -> tensor<*xf32>
  // CHECK: nn.global_avg_pool %{{.*}} : (tensor<2x6x5x5xf64>) -> tensor<2x6xf64>
  %3 = nn.global_avg_pool %d : (tensor<2x6x5x5xf64>) -> tensor<*xf64>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>
}
