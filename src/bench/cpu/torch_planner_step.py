"""The planner's training step in PyTorch, on one thread: the peer that `npm run bench:cpu`
times beside ours. A measuring tool only; nothing in `npm ci`/`npm test` needs it.

The model is the planner as src/rl/model defines it (params.ts, forward.ts, backward.ts):
element rows = mean of wte[text] + box MLP (tanh GELU) + crop projection; the sequence
input = wte[tokens] + elemTable[slots] + wpe; pre-LN blocks (LN eps 1e-5, fused q|k|v,
attention where query t sees keys 0..max(t, P-1): the prompt is bidirectional, the forecast
causal; tanh-GELU MLP); final LN; the head tied to wte, on the forecast rows P-1..T-1 only;
cross-entropy with -1 as "no target", summed and divided by the valid targets. One step =
forward, backward, clip to norm 1, AdamW (lr 1e-4, betas 0.9/0.95, eps 1e-8, no decay).
Weights are stored (in, out) as ours, so the parameter counts match tensor for tensor.
Inputs are random with the shape and target layout of the batch the bench trains on.

Usage: python3 torch_planner_step.py '<shape JSON>'   (torch_peer.ts writes the JSON)
Prints one JSON line {"params", "torch", "threads", "matmul512_gflops"}, then for each line n on stdin times n
steps and prints {"steps", "wall_ms", "cpu_ms"} (medians per step, time.process_time for CPU).
    printf '3\n15\n' | python3 src/bench/cpu/torch_planner_step.py "$(cat shape.json)"
"""

import json
import math
import os
import statistics
import sys
import time

# One thread in every library torch may call (OpenBLAS reads this when it loads).
os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

LN_EPS = 1e-5
MAX_NORM = 1.0


def gelu(x):
    return F.gelu(x, approximate="tanh")


class Planner(torch.nn.Module):
    def __init__(self, s, gen):
        super().__init__()
        self.s = s
        C, FC = s["C"], s["FC"]

        def w(*shape, std=0.02):
            return torch.nn.Parameter(torch.randn(*shape, generator=gen) * std)

        def zeros(n):
            return torch.nn.Parameter(torch.zeros(n))

        def ones(n):
            return torch.nn.Parameter(torch.ones(n))

        proj_std = 0.02 / math.sqrt(2 * s["L"])
        self.wte = w(s["V"], C)
        self.wpe = w(s["T"], C, std=0.01)
        self.box1w, self.box1b = w(s["BF"], s["BH"]), zeros(s["BH"])
        self.box2w, self.box2b = w(s["BH"], C), zeros(C)
        self.cropw, self.cropb = w(s["CROP"], C), zeros(C)
        self.layers = torch.nn.ModuleList()
        for _ in range(s["L"]):
            layer = torch.nn.Module()
            layer.ln1w, layer.ln1b = ones(C), zeros(C)
            layer.qkvw, layer.qkvb = w(C, 3 * C), zeros(3 * C)
            layer.attprojw, layer.attprojb = w(C, C, std=proj_std), zeros(C)
            layer.ln2w, layer.ln2b = ones(C), zeros(C)
            layer.fcw, layer.fcb = w(C, FC), zeros(FC)
            layer.fcprojw, layer.fcprojb = w(FC, C, std=proj_std), zeros(C)
            self.layers.append(layer)
        self.lnfw, self.lnfb = ones(C), zeros(C)
        T, P = s["T"], s["P"]
        t = torch.arange(T)
        visible = torch.clamp(t, min=P - 1)  # last key each query sees
        self.register_buffer("masked", t[None, :] > visible[:, None])  # (T, T)

    def attention(self, qkv):
        B, T, _ = qkv.shape
        NH, C = self.s["NH"], self.s["C"]
        q, k, v = (x.view(B, T, NH, C // NH).transpose(1, 2) for x in qkv.split(C, dim=2))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // NH))
        att = att.masked_fill(self.masked, float("-inf")).softmax(dim=-1)
        return (att @ v).transpose(1, 2).reshape(B, T, C)

    def forward(self, x):
        s, C = self.s, self.s["C"]
        text = x["textWeights"] @ self.wte[x["textIds"]]  # (N,1,W)·(N,W,C) → (N,1,C)
        box = gelu(x["box"] @ self.box1w + self.box1b) @ self.box2w + self.box2b
        crop = x["crop"] @ self.cropw + self.cropb
        elem_table = torch.cat([box + crop + text.squeeze(1), torch.zeros(1, C)])
        h = self.wte[x["tokens"]] + elem_table[x["slots"]] + self.wpe  # (B,T,C)
        for l in self.layers:
            a = F.layer_norm(h, (C,), l.ln1w, l.ln1b, LN_EPS)
            h = h + self.attention(a @ l.qkvw + l.qkvb) @ l.attprojw + l.attprojb
            a = F.layer_norm(h, (C,), l.ln2w, l.ln2b, LN_EPS)
            h = h + gelu(a @ l.fcw + l.fcb) @ l.fcprojw + l.fcprojb
        h = F.layer_norm(h, (C,), self.lnfw, self.lnfb, LN_EPS)
        logits = h[:, s["P"] - 1 :, :] @ self.wte.t()  # tied head, forecast rows only
        losses = F.cross_entropy(
            logits.reshape(-1, s["V"]), x["targets"].reshape(-1), ignore_index=-1, reduction="sum"
        )
        return losses / max(1, x["validTargets"])


def random_batch(s, gen):
    """Inputs of the bench batch's shape: E element slots after BOS, targets as it has them."""
    B, T, P, F_, E, W, V = s["B"], s["T"], s["P"], s["T"] - s["P"] + 1, s["E"], s["W"], s["V"]
    N = B * E
    slots = torch.full((B, T), N, dtype=torch.long)
    for b in range(B):
        slots[b, 1 : E + 1] = torch.arange(b * E, (b + 1) * E)
    targets = torch.full((B, F_), -1, dtype=torch.long)
    for b, n in enumerate(s["targetsPerSequence"]):
        targets[b, :n] = torch.randint(0, V, (n,), generator=gen)
    return {
        "tokens": torch.randint(0, V, (B, T), generator=gen),
        "slots": slots,
        "targets": targets,
        "validTargets": sum(s["targetsPerSequence"]),
        "textIds": torch.randint(0, V, (N, W), generator=gen),
        "textWeights": torch.full((N, 1, W), 1.0 / W),
        "box": torch.rand(N, s["BF"], generator=gen),
        "crop": torch.rand(N, s["CROP"], generator=gen),
    }


def matmul_gflops(n=512, reps=5):
    """Best-of-reps 512³ GFLOP/s per CPU-second: shows which BLAS torch runs on (Debian's
    reference libblas gives ~4, OpenBLAS ~50 on one AVX-512 core)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best = math.inf
    for _ in range(reps):
        c0 = time.process_time()
        a @ b
        best = min(best, time.process_time() - c0)
    return 2 * n**3 / max(best, 1e-9) / 1e9


def main():
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    s = json.loads(sys.argv[1] if len(sys.argv) > 1 else sys.stdin.readline())
    n = len(s["targetsPerSequence"])
    if n != s["B"]:
        sys.exit(f"torch_planner_step: targetsPerSequence has {n} entries, B={s['B']}")
    gen = torch.Generator().manual_seed(1)
    model = Planner(s, gen)
    batch = random_batch(s, gen)
    opt = torch.optim.AdamW(
        model.parameters(), lr=1e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0
    )

    def step():
        loss = model(batch)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), MAX_NORM)
        opt.step()

    params = sum(p.numel() for p in model.parameters())
    ready = {"params": params, "torch": torch.__version__, "threads": torch.get_num_threads()}
    print(json.dumps({**ready, "matmul512_gflops": matmul_gflops()}), flush=True)
    for line in sys.stdin:
        walls, cpus = [], []
        for _ in range(int(line)):
            w0, c0 = time.perf_counter(), time.process_time()
            step()
            walls.append((time.perf_counter() - w0) * 1e3)
            cpus.append((time.process_time() - c0) * 1e3)
        medians = {"wall_ms": statistics.median(walls), "cpu_ms": statistics.median(cpus)}
        print(json.dumps({"steps": len(walls), **medians}), flush=True)


if __name__ == "__main__":
    main()
