"""Writes bench/.data/gpt2_decode.onnx: one GPT-2-small decoding step with a KV cache and random
N(0, 0.02) weights (tied wte / lm_head), for the onnxruntime-node side of bench/kernels/gpt2_decode.ts.
Run with /usr/bin/python3 (Debian python3-torch). ~500 MB, not committed (bench/.data is ignored).

Inputs:  input_ids int64 [1, 1], position int64 [1], past float32 [n_layer, 2, n_head, T, head_dim]
Outputs: logits float32 [1, vocab], present float32 [n_layer, 2, n_head, T + 1, head_dim]
GPT-2 math as in Radford et al. 2019 / Hugging Face GPT2Model (pre-norm blocks, gelu_new).
"""
import math
import os
import torch
import torch.nn as nn

V, P, E, H, L = 50257, 1024, 768, 12, 12
D = E // H
torch.manual_seed(0)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


class Step(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Parameter(torch.randn(V, E) * 0.02)
        self.wpe = nn.Parameter(torch.randn(P, E) * 0.02)
        self.ln1 = nn.ModuleList([nn.LayerNorm(E) for _ in range(L)])
        self.ln2 = nn.ModuleList([nn.LayerNorm(E) for _ in range(L)])
        self.attn = nn.ModuleList([nn.Linear(E, 3 * E) for _ in range(L)])
        self.proj = nn.ModuleList([nn.Linear(E, E) for _ in range(L)])
        self.fc = nn.ModuleList([nn.Linear(E, 4 * E) for _ in range(L)])
        self.fc2 = nn.ModuleList([nn.Linear(4 * E, E) for _ in range(L)])
        self.lnf = nn.LayerNorm(E)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward(self, input_ids, position, past):
        x = self.wte[input_ids[0]] + self.wpe[position]  # [1, E]
        presents = []
        for i in range(L):
            h = self.ln1[i](x)
            q, k, v = self.attn[i](h).split(E, dim=-1)
            q = q.view(H, 1, D)
            k = torch.cat([past[i, 0], k.view(H, 1, D)], dim=1)  # [H, T+1, D]
            v = torch.cat([past[i, 1], v.view(H, 1, D)], dim=1)
            presents.append(torch.stack([k, v]))
            a = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(D), dim=-1) @ v  # the new position sees all
            x = x + self.proj[i](a.reshape(1, E))
            x = x + self.fc2[i](gelu_new(self.fc[i](self.ln2[i](x))))
        logits = self.lnf(x) @ self.wte.t()
        return logits, torch.stack(presents)


here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.path.join(here, "..", "..", "..", "bench", ".data")
os.makedirs(out_dir, exist_ok=True)
out = os.path.join(out_dir, "gpt2_decode.onnx")
model = Step().eval()
args = (torch.tensor([[11]]), torch.tensor([3]), torch.zeros(L, 2, H, 3, D))
with torch.no_grad():
    torch.onnx.export(model, args, out + ".tmp", input_names=["input_ids", "position", "past"],
                      output_names=["logits", "present"], dynamic_axes={"past": {3: "T"}, "present": {3: "T1"}},
                      opset_version=13)
os.replace(out + ".tmp", out)
print("wrote", out, os.path.getsize(out), "bytes")
