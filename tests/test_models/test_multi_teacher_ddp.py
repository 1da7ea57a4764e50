"""MultiTeacherDistill under DDP: ``MMDistributedDataParallel.train_step``
runs the algorithm's data preprocessor and ``forward(mode='loss')`` (not
the algorithm's ``train_step``); per-view inputs reach every model and the
distillation losses are trained, in 2 gloo processes."""
import os
import os.path as osp

import pytest
import torch
import torch.distributed as dist
from conftest import load_script, spawn_ranks
from mmengine.model import MMDistributedDataParallel
from mmengine.optim import OptimWrapper


def run_rank(rank, port, tmp_dir):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group('gloo', rank=rank, world_size=2)
    helpers = load_script('tests/test_models/test_multi_teacher_distill.py')
    torch.manual_seed(0)  # the same initial weights in both processes
    model = helpers.build().train()
    rows = {}
    for name, teacher in model.teachers.items():
        teacher.backbone.register_forward_hook(
            lambda m, args, out, name=name: rows.update({name: args[0].shape}))
    ddp = MMDistributedDataParallel(module=model, broadcast_buffers=False,
                                    find_unused_parameters=True)
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    torch.manual_seed(rank)  # another batch in each process
    log_vars = ddp.train_step(helpers.batch(), optim)
    result = dict(
        log_vars={k: float(v) for k, v in log_vars.items()}, rows=rows,
        moved=sorted(n for n, p in model.named_parameters()
                     if not torch.equal(p, before[n])),
        student={n: p.detach() for n, p in model.student.named_parameters()})
    torch.save(result, osp.join(tmp_dir, f'{rank}.pt'))
    dist.destroy_process_group()



@pytest.fixture(scope='module')
def ranks(tmp_path_factory):
    """What each of 2 gloo processes measured after one training step."""
    tmp_dir = str(tmp_path_factory.mktemp('multi_teacher_ddp'))
    return spawn_ranks(run_rank, tmp_dir)


def test_each_teacher_gets_its_view_and_distillation_is_trained(ranks):
    for result in ranks:
        assert {'distill.loss_teacher', 'distill.loss_assistant',
                'distill.loss_trd', 'student.loss_cls'} <= set(
                    result['log_vars'])
        assert result['rows']['teacher'][0] == 2 * 16
        assert result['rows']['assistant'][0] == 2 * 8
        assert result['moved'] and all(
            n.startswith('architecture.') for n in result['moved'])


def test_gradients_are_all_reduced(ranks):
    """Different batches, the same updated student weights in both
    processes (BatchNorm statistics are per process)."""
    assert ranks[0]['log_vars'] != ranks[1]['log_vars']
    for key, value in ranks[0]['student'].items():
        assert torch.equal(value, ranks[1]['student'][key]), key
