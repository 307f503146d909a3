"""Writes the ONNX models the kernel benchmark feeds to onnxruntime-node (run with /usr/bin/python3).

One MatMul graph with symbolic dims serves every size: Y[M,N] = A[M,K] @ B[K,N]; both operands are
inputs, so the committed file holds no weights.
"""
import os
import onnx
from onnx import TensorProto, helper

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "bench", "models", "matmul.onnx")
graph = helper.make_graph(
    [helper.make_node("MatMul", ["A", "B"], ["Y"])],
    "matmul",
    [helper.make_tensor_value_info("A", TensorProto.FLOAT, ["M", "K"]),
     helper.make_tensor_value_info("B", TensorProto.FLOAT, ["K", "N"])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["M", "N"])],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="gorch-bench")
model.ir_version = 8
onnx.checker.check_model(model)
tmp = out + ".tmp"
onnx.save(model, tmp)
os.replace(tmp, out)
print("wrote", out, os.path.getsize(out), "bytes")
