#!/usr/bin/env bash
# The checks that need a CUDA GPU, in one run (about 6 minutes):
#   1. a single-process NCCL group under torchrun (issue 8);
#   2. the 2-process Gloo test, CPU processes on the GPU machine (issue 8);
#   3. benchmark ratios on the GPU, torch rows (README's Speed table),
#      predict included.
# Usage, from the repository root: bash benchmarks/gpu/run.sh [OUT_DIR]
# Needs torch with CUDA, h5py and pytest; lamina is used from this tree.
set -u
OUT=${1:-${OUT:-/tmp/lamina-gpu-check}}
mkdir -p "$OUT"
export PYTHONPATH=$PWD:$PWD/benchmarks PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}
exec > >(tee "$OUT/gpu_check.log") 2>&1

echo "== device"
nvidia-smi -L
$PY -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0))"

echo "== 1. one-process NCCL group"
PLAIN=1 timeout 120 $PY benchmarks/gpu/nccl_one_process.py > "$OUT/plain.json"
timeout 180 $PY -m torch.distributed.run --nproc_per_node=1 \
    --master_port=29611 benchmarks/gpu/nccl_one_process.py \
    < "$OUT/plain.json" | grep NCCL-CHECK

echo "== 2. two Gloo processes (LAMINA_DEVICE=cpu)"
LAMINA_DEVICE=cpu timeout 420 $PY -m pytest -q -x -p no:cacheprovider \
    tests/distribute/test_distribute_torch.py

echo "== 3. benchmarks on cuda (torch rows)"
# (lamina and the hand-written loops both run on lamina's default device,
# cuda:0 when CUDA is available)
timeout 150 $PY benchmarks/mlp.py --no-jax --repeats 3
timeout 150 $PY benchmarks/convnet.py --no-jax --repeats 3
timeout 150 $PY benchmarks/lstm.py --no-jax --repeats 3
timeout 150 $PY benchmarks/predict.py --no-jax --repeats 3 --samples 50000
