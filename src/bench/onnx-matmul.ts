// A one-node ONNX model, C(n,n) = A(n,n)·B(n,n) in f32, written with onnx-proto's generated
// protobuf classes (no hand-encoded bytes). onnxruntime-web loads the returned bytes directly.

import { onnx } from 'onnx-proto';

/** ONNX IR version 8 and default-domain opset 13: both supported by onnxruntime-web 1.30. */
const IR_VERSION = 8;
const OPSET = 13;

function floatMatrix(name: string, rows: number, cols: number): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimValue: rows }, { dimValue: cols }] },
      },
    },
  };
}

/** Serialised ModelProto with inputs "A", "B" and output "C". */
export function matmulModel(n: number): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'tracelab-bench',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: `matmul_${n}`,
      node: [{ name: 'matmul', opType: 'MatMul', input: ['A', 'B'], output: ['C'] }],
      input: [floatMatrix('A', n, n), floatMatrix('B', n, n)],
      output: [floatMatrix('C', n, n)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
