// Failure messages as the programs of the stacks print them (the text of public issue threads, with
// our own values) name the category their threads establish; healthy jobs' lines name none. Each
// line here stands for a catalogue signature: removing or narrowing the signature fails its line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "l4/diagnose/category_catalog.hpp"

using l4::diagnose::CategoryCatalog;

namespace {

struct Message {
  std::string line;
  std::string category;
  // A category of another root that a generic text on the same line names too (ENOMEM's "Cannot
  // allocate memory", ENOENT's "No such file or directory"); the line's own signatures outweigh it.
  std::string generic = {};
};

std::string root_of(const std::string& category) { return category.substr(0, category.find('/')); }

// The line matches a signature of the category, and every category it matches is under the same
// root: the line cannot pull a verdict to another root (hardware / user / framework / platform).
void check_names(const CategoryCatalog& catalog, const Message& m) {
  INFO(m.line);
  const auto matches = catalog.match(m.line);
  CHECK(std::any_of(matches.begin(), matches.end(), [&](auto& s) { return s.category == m.category; }));
  std::size_t own = 0, generic = 0;
  for (const auto& s : matches) {
    INFO(s.category);
    CHECK((root_of(s.category) == root_of(m.category) || s.category == m.generic));
    if (s.category == m.category) own = std::max(own, s.length);
    if (s.category == m.generic) generic = std::max(generic, s.length);
  }
  // One line, one statement: the longest match names the line's category (diagnose keeps it alone).
  CHECK(own > generic);
}

// Stricter than check_names, for the texts of the programs' documented error tables: the line's
// category survives diagnose's one-statement rule — generic text yields to a program's own message,
// then no other category's match on it is longer, unless that category is an ancestor of it, and
// none is more specific than it.
void check_wins(const CategoryCatalog& catalog, const Message& m) {
  check_names(catalog, m);
  INFO(m.line);
  const auto matches = catalog.match(m.line);
  std::size_t own = 0;
  bool program_own = false;
  for (const auto& s : matches) {
    if (s.category == m.category) own = std::max(own, s.length);
    program_own = program_own || !s.generic;
  }
  for (const auto& s : matches) {
    INFO(s.category);
    if (s.generic && program_own) continue;
    const bool ancestor = m.category.starts_with(s.category + "/");
    CHECK_FALSE(s.category.starts_with(m.category + "/"));
    if (s.category != m.category && !ancestor) CHECK(own > s.length);
  }
}

}  // namespace

TEST_CASE("real failure messages of the training stacks name their thread's category", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  const std::vector<Message> messages = {
      // NCCL socket transport: ECONNABORTED from connect().
      {"node1:1234:1300 [0] misc/socket.cc:484 NCCL WARN socketStartConnect: Connect to 10.0.0.2<43211> failed : "
       "Software caused connection abort",
       "hardware/network/socket"},
      // transformers bitsandbytes quantizer: the model spills out of GPU memory.
      {"ValueError: Some modules are dispatched on the CPU or the disk. Make sure you have enough GPU RAM to fit the "
       "quantized model.",
       "user/config/gpu-oom"},
      // vLLM (verl, OpenRLHF, LLaMA-Factory rollouts): the KV cache does not fit.
      {"ValueError: The model's max seq len (32768) is larger than the maximum number of tokens that can be stored in "
       "KV cache (12544). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the "
       "engine.",
       "user/config/gpu-oom"},
      {"ValueError: The checkpoint you are trying to load has model type `qwen2_vl` but Transformers does not "
       "recognize this architecture.",
       "user/version/dependency"},
      {"ValueError: Bfloat16 is only supported on GPUs with compute capability of at least 8.0. Your Tesla "
       "V100-SXM2-32GB GPU has compute capability 7.0.",
       "user/version/cuda"},
      {"lightning.fabric.utilities.exceptions.MisconfigurationException: You requested gpu: [0, 1, 2, 3]",
       "user/config/device"},
      {"lightning_fabric.utilities.exceptions.MisconfigurationException: CUDAAccelerator can not run on your system "
       "since the accelerator is not available.",
       "user/config/device"},
      {"omegaconf.errors.MissingMandatoryValue: Missing mandatory value: model.train_ds.file_path",
       "user/config/arguments"},
      // NCCL's IB transport cannot register memory: the locked-memory limit, not the host's RAM.
      {"node1:1234:1300 [0] misc/ibvwrap.cc:190 NCCL WARN Call to ibv_reg_mr failed with error Cannot allocate memory",
       "hardware/network/setup", "user/config/host-oom"},
      {"ValueError: You can't train a model that has been loaded with `device_map='auto'` in any distributed mode.",
       "user/config/arguments"},
      {"Exception: Could not find the transformer layer class to wrap in the model.", "user/config/arguments"},
      {"deepspeed.runtime.zero.utils.ZeRORuntimeException: You are using ZeRO-Offload with a client provided optimizer "
       "(<class 'torch.optim.adamw.AdamW'>) which in most cases will yield poor performance.",
       "user/config/arguments"},
      {"deepspeed.ops.op_builder.builder.MissingCUDAException: CUDA_HOME does not exist, unable to compile CUDA op(s)",
       "user/version/dependency"},
      {"nvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.4, please update your driver to a "
       "newer version, or use an earlier cuda container: unknown",
       "user/version/cuda"},
      // LLaMA-Factory: a misspelt dataset name and a run from the wrong directory print the same line, so
      // only the inner category is named.
      {"ValueError: Undefined dataset alpaca_en_demo in dataset_info.json.", "user/config"},
      {"collect2: error: ld returned 1 exit status", "framework/compile"},
      // The linker's own words are longer than the strerror text it ends with: the line is the link's.
      {"/usr/bin/ld: cannot find -lcuda: No such file or directory", "framework/compile", "user/config/path"},
      // Sampling from fp16 logits that overflowed (generation, RL rollouts).
      {"RuntimeError: probability tensor contains either `inf`, `nan` or element < 0", "framework/numerics"},
      {"RuntimeError: Function 'LogSoftmaxBackward0' returned nan values in its 0th output.", "framework/numerics"},
      {"ValueError: Target modules {'q_proj', 'v_proj'} not found in the base model. Please check the target modules "
       "and try again.",
       "user/config/arguments"},
      {"datasets.exceptions.DatasetGenerationError: An error occurred while generating the dataset", "user/data/invalid"},
      {"datasets.table.CastError: Couldn't cast", "user/data/invalid"},
      {"AssertionError: Device compute capability 8.9 or higher required for FP8 execution.", "user/version/cuda"},
      {"RuntimeError: FlashAttention is only supported on CUDA 11.6 and above.", "user/version/cuda"},
      // Batch systems' limits: time ends the job (the scheduler), memory is the job's own.
      {"=>> PBS: job killed: walltime 86410 exceeded limit 86400", "platform/scheduler/preempted"},
      {"TERM_RUNLIMIT: job killed after reaching LSF run time limit.", "platform/scheduler/preempted"},
      {"Warning  DeadlineExceeded  2m  job-controller  Job was active longer than specified deadline",
       "platform/scheduler/preempted"},
      {"=>> PBS: job killed: mem 134217728kb exceeded limit 125829120kb", "user/config/host-oom"},
      {"TERM_MEMLIMIT: job killed after reaching LSF memory usage limit.", "user/config/host-oom"},
      {"slurmstepd: error: Exceeded job memory limit", "user/config/host-oom"},
      // The shell's report of a SIGKILLed child, alone or with the command.
      {"Killed", "user/config/host-oom"},
      {"./run.sh: line 3: 12345 Killed                  python train.py --model llama", "user/config/host-oom"},
      {"srun: error: Node failure on gpu-node-07", "hardware/node/lost"},
      // CPython's faulthandler names the signal: SIGABRT, not a segmentation fault.
      {"Fatal Python error: Aborted", "framework/abort"},
      {"RuntimeError: Distributed package doesn't have NCCL built in", "user/config"},
      // init_process_group's barrier still short of workers; Horovod's stall inspector.
      {"INFO:torch.distributed.distributed_c10d:Waiting in store based barrier to initialize process group for rank: "
       "0, key: store_based_barrier_key:1 (world_size=8, worker_count=1, timeout=0:30:00)",
       "platform/launcher/rendezvous"},
      {"[2026-02-11 09:14:02.118301: W /tmp/pip-install/horovod/common/stall_inspector.cc:107] One or more tensors "
       "were submitted to be reduced, gathered or broadcasted by subset of ranks and are waiting for remainder of "
       "ranks for more than 60 seconds. This may indicate that different ranks are trying to submit different "
       "tensors or that only subset of ranks is submitting tensors, which will cause deadlock.",
       "platform/hang"},
      // nvcc and the CUDA headers reject the GPU architecture or the host compiler: versions, not
      // a compile error of the code.
      {"nvcc fatal   : Unsupported gpu architecture 'compute_90'", "user/version/cuda"},
      {"nvcc fatal   : Unsupported NVHPC compiler found. nvc++ is the only NVHPC compiler that is supported.",
       "user/version/cuda"},
      {"/usr/local/cuda/include/crt/host_config.h:132:2: error: #error -- unsupported GNU version! gcc versions "
       "later than 12 are not supported! The nvcc flag '-allow-unsupported-compiler' can be used to override this "
       "version check",
       "user/version/cuda", "framework/compile"},  // the compiler's diagnostic format, shorter
      // glibc's heap checks abort the process (the old __libc_message form, the newer one), and
      // Open MPI's handler names the signal.
      {"*** Error in `python': malloc(): smallbin double linked list corrupted: 0x00007f3c1a2b4060 ***", "framework/abort"},
      {"free(): invalid next size (fast)", "framework/abort"},
      {"munmap_chunk(): invalid pointer", "framework/abort"},
      {"[gpu-n07:51234] Signal: Aborted (6)", "framework/abort"},
      {"*** MPI_ERRORS_ARE_FATAL (processes in this communicator will now abort,", "framework/abort"},
      // glibc's assert() (CUDA's device-side assert quotes with two backticks: another category).
      {"python: csrc/aio/py_lib/deepspeed_py_aio_handle.cpp:102: int deepspeed_aio_handle_t::read(torch::Tensor&, "
       "const char*, bool): Assertion `static_cast<long long int>(buffer.nbytes()) == num_file_bytes' failed.",
       "framework/abort"},
      // An illegal CPU instruction: a build for another CPU.
      {"mpirun noticed that process rank 0 with PID 4242 on node gpu-n07 exited on signal 4 (Illegal instruction).",
       "user/version/dependency"},
      {"Illegal instruction (core dumped)", "user/version/dependency", "framework/segfault"},  // any core dump
      {"node1:1234:1234 [3] enqueue.cc:1182 NCCL WARN Error : no algorithm/protocol available", "user/config/arguments"},
      {"(raylet) node_manager.cc:3069: 1 Workers (tasks / actors) killed due to memory pressure (OOM), 0 Workers "
       "crashed due to other reasons at node",
       "user/config/host-oom"},
      {"AssertionError: only support equal chunk. Got size of DataProto 31 and chunk 8.", "user/config/parallelism"},
      {"AssertionError: Micro batch size per gpu: 0 has to be greater than 0", "user/config/parallelism"},
      // Slurm refuses the request itself.
      {"srun: error: Unable to allocate resources: Requested node configuration is not available",
       "user/config/arguments"},
      {"sbatch: error: Batch job submission failed: Invalid generic resource (gres) specification",
       "user/config/arguments"},
      // The device index assertion, not an internal error of PyTorch's (the longer match).
      {"RuntimeError: device >= 0 && device < num_gpus INTERNAL ASSERT FAILED at \"../aten/src/ATen/cuda/"
       "CUDAContext.cpp\":50, please report a bug to PyTorch.",
       "user/config/device", "framework/abort"},
      {"[ERROR] RecentErrMsg: [PID: 4321] 2026-03-24-12:13:53.809.770 Memory_Allocation_Failure(EL0004): Failed to "
       "allocate memory.",
       "user/config/gpu-oom"},
      {"[PID: 5120] 2026-04-02-08:11:37.102.226 Device_Absent/Abnormal(EL0001): Device not found or invalid.",
       "hardware/npu/device"},
      {"Device[3] lost heartbeat.[FUNC:SyncTask][FILE:direct_hwts_engine.cc][LINE:407]", "hardware/npu/device"},
  };
  for (const auto& m : messages) check_names(catalog, m);
}

// The documented error tables of the programs (cudaGetErrorString / cuGetErrorString texts and
// cudaError_t / CUresult names, the NVIDIA Xid catalogue, ncclGetErrorString, PyTorch's c10d and
// data loader errors, Python's builtin exceptions, Ascend CANN/HCCL error codes): each message as
// its program prints it (our own values) lands in the category the documentation gives its cause,
// also when no public thread has shown it yet.
TEST_CASE("documented error messages name their category", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  // PyTorch names the CUDA error after its text: "Search for `cudaErrorX' in <docs> for more information."
  const auto search_for = [](const std::string& name) {
    return "Search for `" + name + "' in https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html for more information.";
  };
  const std::vector<Message> messages = {
      // CUDA runtime / driver error texts and names.
      {"RuntimeError: CUDA error: Invalid access of peer GPU memory over nvlink or a hardware error",
       "hardware/gpu/xid"},
      {"NVRM: Xid (PCI:0000:3b:00): 119, pid=4242, name=python, Timeout after 6s of waiting for RPC response from GPU3 "
       "GSP! Expected function 76 (GSP_RM_CONTROL) (0x20801a02 0x4).",
       "hardware/gpu/xid"},
      {search_for("cudaErrorNvlinkUncorrectable"), "hardware/gpu/nvlink"},
      {"NVRM: Xid (PCI:0000:2a:00): 140, pid='<unknown>', name=<unknown>, An uncorrectable ECC error detected (possible "
       "firmware handling failure) DRAM:0, LTC:0, MMU:0, PCIE:0",
       "hardware/gpu/ecc"},
      // A GPU too old for the library call: a version error, not a failed kernel.
      {"RuntimeError: cuDNN error: CUDNN_STATUS_ARCH_MISMATCH", "user/version/cuda"},
      {"RuntimeError: CUDA error: CUBLAS_STATUS_ARCH_MISMATCH when calling `cublasGemmEx( handle, opa, opb, m, n, k, "
       "&falpha, a, CUDA_R_16BF, lda, b, CUDA_R_16BF, ldb, &fbeta, c, CUDA_R_16BF, ldc, CUDA_R_32F, "
       "CUBLAS_GEMM_DEFAULT_TENSOR_OP)`",
       "user/version/cuda"},
      {"cupy_backends.cuda.api.driver.CUDADriverError: CUDA_ERROR_ILLEGAL_ADDRESS: an illegal memory access was "
       "encountered",
       "framework/cuda-error"},
      {search_for("cudaErrorMisalignedAddress"), "framework/cuda-error"},
      {"RuntimeError: CUDA error: invalid program counter", "framework/cuda-error"},
      {"RuntimeError: CUDA error: operation not supported on global/shared address space", "framework/cuda-error"},
      {"RuntimeError: CUDA error: too many blocks in cooperative launch", "framework/cuda-error"},
      // A CUDA graph capture that a call broke: no permission is missing (POSIX EPERM's words are shorter).
      {"RuntimeError: CUDA error: operation not permitted when stream is capturing", "framework/cuda-error",
       "user/config/permission"},
      {"RuntimeError: CUDA error: operation failed due to a previous error during capture", "framework/cuda-error"},
      {"RuntimeError: CUDA error: context is destroyed", "framework/cuda-error"},
      {search_for("cudaErrorAssert"), "user/code/device-assert"},
      {search_for("cudaErrorNotPermitted"), "user/config/permission"},
      {search_for("cudaErrorInitializationError"), "framework/cuda-error"},
      {search_for("cudaErrorNoKernelImageForDevice"), "user/version/cuda"},
      {"RuntimeError: CUDA error: PTX JIT compiler library not found", "user/version/dependency"},
      {"RuntimeError: CUDA error: CUDA driver is a stub library", "user/version/dependency"},
      {"cupy_backends.cuda.api.driver.CUDADriverError: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected",
       "user/config/device"},
      {"RuntimeError: CUDA error: exclusive-thread device already in use by a different thread",
       "platform/accelerator/busy"},
      {"RuntimeError: CUDA error: MPS client failed to connect to the MPS control daemon or the MPS server",
       "platform/accelerator"},
      // NCCL result codes and WARN lines (src/init.cc ncclGetErrorString, src/net.cc).
      {"torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1970, "
       "unhandled cuda error (run with NCCL_DEBUG=INFO for details), NCCL version 2.19.3",
       "framework/cuda-error"},
      {"ncclUnhandledCudaError: Call to CUDA function failed.", "framework/cuda-error"},
      {"node1:1234:1300 [3] include/alloc.h:185 NCCL WARN Failed to CUDA calloc 6291456 bytes", "user/config/gpu-oom"},
      {"node1:1234:1300 [0] net.cc:626 NCCL WARN Error: network AWS Libfabric not found.", "hardware/network/setup"},
      // PyTorch c10d, torch.distributed and the data loader.
      {"[rank3]:[E1206 10:00:00.123456789 ProcessGroupNCCL.cpp:1709] [PG 0 (default_pg) Rank 3] Timeout at NCCL work: "
       "1580, last enqueued NCCL work: 1580, last completed NCCL work: 1579.",
       "platform/hang"},
      // The loader's own timeout, not a hang of the job's (the word "timed out" alone is the hang's).
      {"RuntimeError: DataLoader timed out after 120 seconds", "user/data/dataloader", "platform/hang"},
      {"RuntimeError: Pin memory thread exited unexpectedly", "user/data/dataloader"},
      {"RuntimeError: received 0 items of ancdata", "user/config"},
      {"OSError: [Errno 24] Too many open files: '/data/shard-00042.arrow'", "user/config"},
      {"torch.distributed.DistNetworkError: The client socket cannot be initialized to connect to [10.1.2.3]:29500 "
       "(errno: 97 - Address family not supported by protocol).",
       "hardware/network"},
      // The message's own words are the more specific statement.
      {"torch.distributed.DistNetworkError: Connection reset by peer", "hardware/network/socket"},
      // Python builtin exceptions that name a path the job was given (the rest are user code).
      {"IsADirectoryError: [Errno 21] Is a directory: '/mnt/models/llama-3-8b'", "user/config/path"},
      {"NotADirectoryError: [Errno 20] Not a directory: '/data/train.jsonl/part-0.jsonl'", "user/config/path"},
      // Ascend CANN / HCCL error codes: timeouts of the collective library, and the job's own mistakes.
      {"EI0002: [PID: 4321] 2026-03-24-12:13:53.809.770 The wait execution of the Notify register times out. Reason: "
       "The Notify register has not received the Notify record from remote rank [3].",
       "hardware/npu/hccl"},
      {"[ERROR] HCCL(4321,python):2026-03-24-12:13:53.809.770 [hccl_socket_manager.cc:813] [4400][Wait][LinkEstablish]"
       "wait socket establish timeout, role[0] rank[0] timeout[120 s]",
       "hardware/npu/hccl"},
      {"EI0005: 2026-03-24-12:13:53.809.770 The arguments for collective communication are inconsistent between ranks: "
       "tag [AllReduce_10.0.0.1%eth0_60000_0_1700000000000], parameter [count], local [16512], remote [8320]",
       "user/code/collective-mismatch"},
      {"EI0004: 2026-03-24-12:13:53.809.770 The ranktable or rank is invalid, Reason:[The ip in ranktable is not a valid "
       "ip address]. Please check the configured ranktable. [The ranktable path configured in the training can be found "
       "in the plogs.]",
       "user/config"},
      {"EI0008: The CANN versions are inconsistent: tag [HcomAllReduce_1234567890_0], local_version [1.83.T10.0.B206], "
       "remote_version [1.83.T10.0.B207]",
       "user/version/dependency"},
      // PyTorch 2.4+ watchdog, Ascend RTS, Open MPI, Rust's allocator.
      {"[rank1]:[E314 12:41:27.597130947 ProcessGroupNCCL.cpp:1746] [PG ID 0 PG GUID 0(default_pg) Rank 1] Received a dump "
       "signal due to a collective timeout from this local rank and we will try our best to dump the debug info. Last "
       "enqueued NCCL work: 20589, last completed NCCL work: 20584.",
       "platform/hang"},
      {"EE1002: 2026-07-08-10:52:13.565.510 Stream synchronize timeout. rtDeviceSynchronize execute failed, reason=[stream "
       "sync timeout]",
       "platform/hang"},
      {"A process or daemon was unable to complete a TCP connection", "hardware/network"},
      {"ORTE was unable to reliably start one or more daemons.", "platform/launcher"},
      {"ORTE has lost communication with a remote daemon.", "hardware/node/lost"},
      {"RuntimeError: stack expects each tensor to be equal size, but got [3, 224, 224] at entry 0 and [1, 224, 224] at "
       "entry 5",
       "user/code/shape-mismatch"},
      {"NotImplementedError: Loading a dataset cached in a LocalFileSystem is not supported.", "user/version/dependency"},
      {"ValueError: Please specify `target_modules` in `peft_config`", "user/config/arguments"},
      {"PIL.UnidentifiedImageError: cannot identify image file <_io.BytesIO object at 0x7f11aa7f1900>", "user/data/invalid"},
      {"RuntimeError: Found 0 files in subfolders of: /data/imagenet/train", "user/data/invalid"},
      {"slurmstepd: error: pyxis: container start failed with error code: 1", "platform/launcher/container"},
      {"EJ0003: [PID: 4711] 2025-01-14-17:01:02.816.428 Failed to bind the IP port. Reason: The IP address and port have "
       "been bound already.",
       "platform/launcher/address-in-use", "hardware/npu/hccl"},
      {"efa-worker-1:48:97 [5] ofi_process_cq:1039 NCCL WARN NET/OFI Request 0x7f11944701b8 completed with error. RC: 20. "
       "Error: unknown error. Completed length: 0",
       "hardware/network"},
      {"FileNotFoundError: Couldn't find any class folder in /data/imagenet/train.", "user/data/invalid"},
      {"RuntimeError: Using hostfile at /etc/ds/hostfile but host=gpu-v100-0042 was not reachable via ssh. If you are "
       "running with a single node please remove /etc/ds/hostfile or setup passwordless ssh.",
       "platform/launcher"},
      {"trn-node07:922:1149 [3] misc/socket.cc:49 NCCL WARN socketProgress: Connection closed by remote peer "
       "trn-node08<53735>",
       "hardware/network"},
      {"ssh: Could not resolve hostname worker-7: Name or service not known", "platform/launcher"},
      {"huggingface_hub.errors.GatedRepoError: 401 Client Error. Cannot access gated repo for url "
       "https://huggingface.co/org-x/model-y/resolve/main/config.json.",
       "user/config/permission"},
      {"OSError: /models/pretrained/detector_w32.pth is not a checkpoint file", "user/config/path"},
      // ssh's own failure is exit status 255 (any other status is the remote command's).
      {"subprocess.CalledProcessError: Command '['ssh worker-3 hostname -I']' returned non-zero exit status 255.",
       "platform/launcher"},
      {"ssh: connect to host 10.1.2.3 port 22: Connection refused", "platform/launcher", "hardware/network/socket"},
      {"memory allocation of 34359738368 bytes failed", "user/config/host-oom"},
      {"RuntimeError: Rank 3, node gpu-07, device 3, iteration 1200: Unexpected result nan (message='found NaN in "
       "local grad norm for bucket #0 in backward pass before data-parallel communication collective')",
       "framework/numerics"},
      // CUDA's device-side assert from a lambda kernel: __func__ names it operator().
      {"../aten/src/ATen/native/cuda/IndexKernel.cu:92: operator(): block: [22,0,0], thread: [64,0,0] Assertion "
       "`-sizes[i] <= index && index < sizes[i] && \"index out of bounds\"` failed.",
       "user/code/device-assert"},
  };
  for (const auto& m : messages) check_wins(catalog, m);
}

// The layers under and around the training job, as they print their documented messages (our own
// values): the Linux kernel (dmesg/journal), Slurm and Open MPI at launch, Kubernetes container and
// eviction reasons, Ray, NVIDIA DCGM / NVML / Fabric Manager / the NVSwitch driver. Each lands in the
// category its source gives the cause, and no other category's match on the line outweighs it.
TEST_CASE("documented messages of the platform under the job name their category", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  const std::vector<Message> messages = {
      // Linux kernel: host hardware and lockups, hung tasks, filesystems and block devices, NICs.
      {"[ 8123.441277] Kernel panic - not syncing: Fatal machine check on current CPU", "hardware/node/host-error"},
      {"[ 5120.002113] EDAC MC1: 1 UE memory read error on CPU_SrcID#1_MC#0_Chan#2_DIMM#0 (channel:2 slot:0 "
       "page:0x3f1a2c offset:0x0 grain:32 - err_code:0x0000:0x0090)",
       "hardware/node/host-error"},
      {"[ 9922.310044] watchdog: BUG: soft lockup - CPU#42 stuck for 23s! [pt_main_thread:51234]",
       "hardware/node/host-error"},
      {"[ 9930.100045] NMI watchdog: Watchdog detected hard LOCKUP on cpu 7", "hardware/node/host-error"},
      {"[ 7262.551026] INFO: task pt_main_thread:40411 blocked for more than 122 seconds.", "platform/hang"},
      {"[ 3310.120441] EXT4-fs error (device nvme0n1p2): ext4_find_entry:1455: inode #2: comm python: reading "
       "directory lblock 0",
       "hardware/storage/filesystem"},
      {"[ 3310.120502] Aborting journal on device nvme0n1p2-8.", "hardware/storage/filesystem"},
      {"[ 3310.121910] XFS (md127): Log I/O Error (0x2) detected at xlog_ioend_work+0x6e/0x70 [xfs] "
       "(fs/xfs/xfs_log.c:1378).  Shutting down filesystem.",
       "hardware/storage/filesystem"},
      {"[ 3310.101733] I/O error, dev nvme1n1, sector 73400320 op 0x1:(WRITE) flags 0x800 phys_seg 32 prio class 2",
       "hardware/storage/filesystem"},
      {"[ 6002.993311] nfs: server storage-07 not responding, still trying", "hardware/storage/filesystem"},
      // Lustre's eviction is not a scheduler's (the word "evicted" alone is).
      {"LustreError: 167-0: scratch-OST0004-osc-ffff8f2c1b7a9000: This client was evicted by scratch-OST0004; in "
       "progress operations using this service will fail.",
       "hardware/storage/filesystem", "platform/scheduler/preempted"},
      {"[  412.338901] mlx5_core 0000:c1:00.0: port_module:251:(pid 0): Port module event[error]: module 0, Cable error, "
       "Bad or shorted cable/module",
       "hardware/network"},
      // Slurm and Open MPI: the MPI library cannot wire up under srun.
      {"The application appears to have been direct launched using \"srun\", but OMPI was not built with SLURM's PMI "
       "support and therefore cannot execute.",
       "platform/launcher"},
      {"srun: error: Couldn't find the specified plugin name for mpi/pmix_v5 looking at all files",
       "platform/launcher"},
      // Kubernetes: the container never ran; the kubelet evicted the pod; the pod filled its local disk.
      {"Warning  Failed     12s (x3 over 55s)  kubelet  Error: ImagePullBackOff", "platform/launcher/container"},
      {"  Reason:       ContainerCannotRun", "platform/launcher/container"},
      {"Message: The node was low on resource: memory. Threshold quantity: 100Mi, available: 91232Ki.",
       "platform/scheduler/preempted"},
      {"Message: Pod ephemeral local storage usage exceeds the total limit of containers 20Gi.",
       "hardware/storage/disk-full"},
      // Ray: a node declared dead (its message names preemption among possible causes), host memory.
      {"2026-03-02 10:11:12,345 WARNING worker.py:2058 -- The node with node id: 5be1c0ffee and address: 10.0.3.17 "
       "and node name: 10.0.3.17 has been marked dead because the detector has missed too many heartbeats from it. "
       "This can happen when a \t(1) raylet crashes unexpectedly (OOM, preempted node, etc.)",
       "hardware/node/lost", "platform/scheduler/preempted"},
      {"ray.exceptions.LocalRayletDiedError: The task's local raylet died. Check raylet.out for more information.",
       "hardware/node/lost"},
      {"ray.exceptions.ObjectStoreFullError: Failed to put object 00ffff in object store because it is full. The local "
       "object store is full of objects that are still in scope and cannot be evicted.",
       "user/config/host-oom", "platform/scheduler/preempted"},
      {"ray.memory_monitor.RayOutOfMemoryError: More than 95% of the memory on node gpu-17 is used (480.2 / 503.5 GB).",
       "user/config/host-oom"},
      // NVIDIA DCGM health, NVSwitch, NVML / nvidia-smi, Fabric Manager.
      {"DCGM health: Detected 2 volatile double-bit ECC error(s) in GPU 5.", "hardware/gpu/ecc"},
      {"GPU 3 had uncorrectable memory errors and row remapping failed.", "hardware/gpu/ecc"},
      {"Detected fatal errors on NvSwitch 2 link 17", "hardware/gpu/nvlink"},
      {"[ 1822.101345] nvidia-nvswitch1: SXid (PCI:0000:86:00.0): 24007, Fatal, Link 12 sourcetrack TCEN0 crumbstore "
       "ECC DBE Error",
       "hardware/gpu/nvlink"},
      {"pynvml.NVMLError_CorruptedInforom: Corrupted infoROM", "hardware/gpu"},
      {"RuntimeError: CUDA error: system not yet initialized", "platform/accelerator"},
      {"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA "
       "driver is installed and running.",
       "platform/accelerator"},
      {"Failed to initialize NVML: Driver/library version mismatch", "user/version/cuda"},
  };
  for (const auto& m : messages) check_wins(catalog, m);
  // Corrected errors are logged, not failures: the kernel's note after a corrected machine check, an
  // EDAC CE line and a non-fatal NVSwitch SXid name no category.
  for (const std::string line : {"[  333.236610] mce: [Hardware Error]: Machine check events logged",
                                 "[ 5120.002113] EDAC MC0: 1 CE memory read error on CPU_SrcID#0_MC#0_Chan#1_DIMM#0 "
                                 "(channel:1 slot:0 page:0x1f2e3 offset:0x0 grain:32)",
                                 "nvidia-nvswitch3: SXid (PCI:0000:05:00.0): 12028, Non-fatal, Link 32 egress "
                                 "non-posted PRIV error (First)"}) {
    INFO(line);
    CHECK(catalog.match(line).empty());
  }
}

// The training stacks' own raise/assert texts (DeepSpeed, Megatron-LM / Megatron-Core, NeMo,
// transformers / accelerate / PEFT, Lightning, vLLM, torch.distributed elastic and checkpoint), as
// they print them with our own values: each lands in the category its source gives the cause, and
// no other category's match on the line outweighs it.
TEST_CASE("documented messages of the training stacks name their category", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  const std::vector<Message> messages = {
      // DeepSpeed: ZeRO state of another data-parallel size, op builder, launcher, config.
      {"deepspeed.runtime.zero.utils.ZeRORuntimeException: The checkpoint being loaded used a DP world size of 16 but "
       "the current world size is 8. Automatic adjustment of ZeRO's optimizer state partitioning with a new world size "
       "is not currently supported.",
       "user/config/checkpoint-mismatch"},
      {"deepspeed.ops.op_builder.builder.CUDAMismatchException: >- DeepSpeed Op Builder: Installed CUDA version 11.8 "
       "does not match the version torch was compiled with 12.4, unable to compile cuda/cpp extensions without a "
       "matching cuda version.",
       "user/version/cuda"},
      {"RuntimeError: Unable to proceed, no GPU resources available", "user/config/device"},
      {"ValueError: Num nodes is >1 but no extra nodes available via hostfile", "user/config/arguments"},
      {"RuntimeError: launcher 'pdsh' not installed.", "user/version/dependency"},
      {"AssertionError: bfloat16 and fp16 modes cannot be simultaneously enabled", "user/config/arguments"},
      // Megatron-LM / Megatron-Core / NeMo: checkpoints that do not fit the run, data, exp_manager.
      {"Unable to load optimizer from checkpoint /ckpt/gpt-7b/iter_0002000/mp_rank_00/model_optim_rng.pt. Specify "
       "--no-load-optim or --finetune to prevent attempting to load the optimizer state, exiting ...",
       "user/config/checkpoint-mismatch"},
      {"AssertionError: num_attention_heads value from checkpoint (32) is not equal to the input argument value (40).",
       "user/config/checkpoint-mismatch"},
      {"megatron.core.dist_checkpointing.core.CheckpointingException: Global shape mismatch for loaded "
       "(torch.Size([50304, 4096])) and expected ((50432, 4096)) tensor for key embedding.word_embeddings.weight",
       "user/config/checkpoint-mismatch"},
      {"AssertionError: Index file doesn't match expected format. Make sure that --dataset-impl is configured properly.",
       "user/data/invalid"},
      {"nemo.utils.exp_manager.NotFoundError: There were no checkpoints found in checkpoint_dir or no checkpoint folder "
       "at checkpoint_dir :/results/llama/checkpoints. Cannot resume.",
       "user/config/path"},
      {"nemo.utils.exp_manager.CheckpointMisconfigurationError: The pytorch lightning trainer that was passed to "
       "exp_manager contained a ModelCheckpoint and create_checkpoint_callback was set to True.",
       "user/config/arguments"},
      // transformers Trainer / accelerate / PEFT / PyTorch AMP.
      {"ValueError: Can't find a valid checkpoint at /output/run-3/checkpoint-1500", "user/config/path"},
      {"ValueError: No valid checkpoint found in output directory (/output/run-3)", "user/config/path"},
      {"ValueError: Can't find 'adapter_config.json' at '/output/lora-run/checkpoint-900'", "user/config/path"},
      {"ValueError: Attempting to unscale FP16 gradients.", "user/config/arguments"},
      {"ValueError: Your setup doesn't support bf16/gpu.", "user/config/arguments"},
      {"pydantic_core._pydantic_core.ValidationError: 1 validation error for DeepSpeedZeroConfig", "user/config"},
      {"ValueError: Asking to pad but the tokenizer does not have a padding token. Please select a token to use as "
       "`pad_token` `(tokenizer.pad_token = tokenizer.eos_token e.g.)`",
       "user/config/arguments"},
      {"ValueError: Please correct the following DeepSpeed config values that mismatch TrainingArguments values:",
       "user/config/arguments"},
      {"ValueError: When using DeepSpeed, `accelerate.prepare()` requires you to pass at least one of training or "
       "evaluation dataloaders with `batch_size` attribute returning an integer value",
       "user/config/arguments"},
      {"ValueError: You can't train a model that has been loaded in 8-bit precision on a different device than the one "
       "you're training on.",
       "user/config/arguments"},
      // Lightning.
      {"KeyError: 'Trying to restore optimizer state but checkpoint contains only the model. This is probably due to "
       "`ModelCheckpoint.save_weights_only` being set to `True`.'",
       "user/config/checkpoint-mismatch"},
      {"FileNotFoundError: Checkpoint at /runs/exp7/last.ckpt not found. Aborting training.", "user/config/path"},
      {"ValueError: You set `devices=8` in Lightning, but the number of tasks per node configured in SLURM "
       "`--ntasks-per-node=1` does not match. HINT: Set `devices=1`.",
       "user/config/arguments"},
      {"RuntimeError: You set `--ntasks=16` in your SLURM bash script, but this variable is not supported. HINT: Use "
       "`--ntasks-per-node=16` instead.",
       "user/config/arguments"},
      // vLLM (as verl / OpenRLHF rollouts start it).
      {"ValueError: Free memory on device cuda:0 (21.40/79.11 GiB) on startup is less than desired GPU memory "
       "utilization (0.6, 47.47 GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.",
       "user/config/gpu-oom"},
      {"ValueError: To serve at least one request with the models's max seq len (65536), (8.00 GiB KV cache is needed, "
       "which is larger than the available KV cache memory (3.21 GiB).",
       "user/config/gpu-oom"},
      {"ValueError: The number of required GPUs exceeds the total number of available GPUs in the placement group.",
       "user/config/device"},
      {"ValueError: Model architectures ['FooForCausalLM'] are not supported for now. Supported architectures: "
       "dict_keys(['LlamaForCausalLM'])",
       "user/version/dependency"},
      {"ValueError: User-specified max_model_len (65536) is greater than the derived max_model_len "
       "(max_position_embeddings=32768 or model_max_length=None in model's config.json).",
       "user/config/arguments"},
      {"RuntimeError: Failed to infer device type", "user/config/device"},
      // torch.distributed: DCP load planner, elastic rendezvous registry, env:// init without a launcher.
      {"ValueError: Size mismatch between saved torch.Size([32000, 4096]) and current: torch.Size([32064, 4096]) for "
       "model.embed_tokens.weight",
       "user/config/checkpoint-mismatch"},
      {"ValueError: The rendezvous backend 'c10dd' is not registered. Did you forget to call `register`?",
       "user/config/arguments"},
      {"ValueError: Error initializing torch.distributed using env:// rendezvous: environment variable MASTER_ADDR "
       "expected, but not set",
       "platform/launcher"},
  };
  for (const auto& m : messages) check_wins(catalog, m);
  // The same programs' notices of what they accepted or skipped are no failure: DeepSpeed's accepted
  // CUDA minor mismatch, NeMo's resume_ignore_no_checkpoint warning.
  for (const std::string line :
       {"Installed CUDA version 12.6 does not match the version torch was compiled with 12.4 but since the APIs are "
        "compatible, accepting this combination",
        "[NeMo W 2026-03-02 10:11:12 exp_manager:601] There were no checkpoints found in checkpoint_dir or no "
        "checkpoint folder at checkpoint_dir :/results/llama/checkpoints. Training from scratch."}) {
    INFO(line);
    CHECK(catalog.match(line).empty());
  }
}

TEST_CASE("lines every healthy job prints name no category", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  const std::vector<std::string> healthy = {
      "node1:1234:1310 [0] NCCL INFO [Service thread] Connection closed by localRank 0",
      "node1:1234:1234 [0] NCCL INFO comm 0x55d0c1e0 rank 0 nranks 16 cudaDev 0 busId 3b000 - Abort COMPLETE",
      "node1:1234:1234 [0] NCCL INFO comm 0x55d0c1e0 rank 0 nranks 16 cudaDev 0 busId 3b000 - Destroy COMPLETE",
      "INFO 01-01 10:00:00 worker.py:200] # GPU blocks: 2290, # CPU blocks: 512",
      "[INFO|trainer.py:2100] >> ***** Running training *****",
      // Megatron-LM's argument dump at start: a setting's name is no error.
      "  transformer_pipeline_model_parallel_size ........ 2",
      "  tensor_model_parallel_size ...................... 8",
  };
  // A device no backend was set up for is no tensor on the wrong device: only a CPU tensor in an
  // accelerator-only group is.
  const auto npu = catalog.match("RuntimeError: No backend type associated with device type npu");
  CHECK(std::none_of(npu.begin(), npu.end(), [](auto& s) { return s.category == "user/code/device-mismatch"; }));
  const auto cpu = catalog.match("RuntimeError: No backend type associated with device type cpu");
  CHECK(std::any_of(cpu.begin(), cpu.end(), [](auto& s) { return s.category == "user/code/device-mismatch"; }));
  // A GPU's own illegal instruction is no CPU build mismatch.
  const auto gpu = catalog.match("NVRM: Xid (PCI:0000:cb:00): 13, pid='<unknown>', name=<unknown>, Graphics SM Warp "
                                 "Exception on (GPC 7, TPC 7, SM 0): Illegal Instruction Parameter");
  CHECK(std::none_of(gpu.begin(), gpu.end(), [](auto& s) { return s.category == "user/version/dependency"; }));
  // srun reports every task it kills as Killed (after a node failure, at the end of a step): no host OOM.
  CHECK(catalog.match("srun: error: gpu-node-07: task 7: Killed").empty());
  // A pod the Kubernetes scheduler could not place was not preempted, whatever its event says of preemption.
  const auto unplaced = catalog.match(
      "Warning  FailedScheduling  12s  default-scheduler  0/4 nodes are available: 4 Insufficient nvidia.com/gpu. "
      "preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod.");
  CHECK(std::none_of(unplaced.begin(), unplaced.end(), [](auto& s) { return s.category == "platform/scheduler/preempted"; }));
  for (const auto& line : healthy) {
    INFO(line);
    CHECK(catalog.match(line).empty());
  }
}
