"""``manage.py generate_scale_data``: a district at scale for benchmarks.

Each app contributes a generator (``register_scale_generator`` in its ``contributions.py``) with its ``DEFAULTS`` sizes;
every size becomes an option here (``--branches 1500`` ...). ``--scale 0.01`` shrinks them all, except
the rates a generator lists in ``UNSCALED`` (per branch, a number of quarters): ``--scale 10`` is ten
districts' worth of rows, not ten times as many candidates per branch.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.registry import ScaleContext, scale_generators
from organizations.models import Organization


class Command(BaseCommand):
    help = "Generate a large district (defaults: 10 streets, 120 communities, 1,500 branches, 6,000 groups, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="S", help="Code prefix of the generated district.")
        parser.add_argument("--seed", type=int, default=20261129)
        parser.add_argument("--scale", type=float, default=1.0, help="Multiply every default size.")
        for generator in scale_generators():
            for key, value in getattr(generator, "DEFAULTS", {}).items():
                parser.add_argument(
                    f"--{key.replace('_', '-')}", type=int, default=None, dest=key, help=f"default {value}"
                )

    def handle(self, *args, **options):
        generators = scale_generators()
        sizes = {}
        for generator in generators:
            for key, value in getattr(generator, "DEFAULTS", {}).items():
                given = options.get(key)
                scaled = key not in getattr(generator, "UNSCALED", ())
                sizes[key] = given if given is not None else max(1, int(value * (options["scale"] if scaled else 1)))
        if Organization.objects.filter(code=options["prefix"]).exists():
            raise CommandError(f"代码为 {options['prefix']} 的区已存在；请使用另一个 --prefix。")
        ctx = ScaleContext(
            sizes=sizes,
            prefix=options["prefix"],
            rng=random.Random(options["seed"]),
            today=timezone.localdate(),
            write=self.stdout.write,
        )
        started = time.perf_counter()
        for generator in generators:
            t0 = time.perf_counter()
            generator(ctx)
            ctx.timings[generator.__module__] = time.perf_counter() - t0
        for name, seconds in ctx.timings.items():
            self.stdout.write(f"  {name}: {seconds:.2f} s")
        self.stdout.write(self.style.SUCCESS(f"规模数据已生成，用时 {time.perf_counter() - started:.2f} 秒：{sizes}"))
