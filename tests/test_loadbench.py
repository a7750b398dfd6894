"""proxy.bench.load's arithmetic: slices taken in turn are pooled into one row per endpoint."""

from __future__ import annotations

from proxy.bench import load as loadbench


def _slice(requests: int, latency_ms: float, cpu_seconds: float = 0.0) -> loadbench.Slice:
    quantiles = tuple(latency_ms for _ in loadbench.QUANTILES)
    return loadbench.Slice(requests, 10.0, 0, quantiles, cpu_seconds)


def test_pooled_rate_is_all_requests_over_all_seconds() -> None:
    row = loadbench.merged("x", [_slice(30000, 5), _slice(10000, 5)])
    assert (row.requests, row.seconds, row.rate) == (40000, 20.0, 2000.0)


def test_pooled_latency_weighs_each_slice_by_its_requests() -> None:
    # 97% of the requests answered in 2 ms and 3% in 40 ms: the median is 2 ms, the p99 40 ms,
    # whatever order the slices came in.
    fast, slow = _slice(9700, 2), _slice(300, 40)
    for order in ([fast, slow], [slow, fast]):
        row = loadbench.merged("x", order)
        assert (row.p50_ms, row.p99_ms) == (2, 40)


def test_server_cpu_is_per_request_over_all_slices() -> None:
    row = loadbench.merged(
        "x", [_slice(1000, 1, cpu_seconds=0.5), _slice(3000, 1, cpu_seconds=1.5)]
    )
    assert row.cpu_ms == 0.5


def test_wrk_summary_is_read_with_every_quantile() -> None:
    numbers = " ".join(str(1000 * (n + 1)) for n in range(len(loadbench.QUANTILES)))
    part = loadbench._parse_wrk(f"Running 10s test\nBENCH 5000 10000000 3 {numbers}\n", 2.0)
    assert (part.requests, part.seconds, part.errors, part.cpu_seconds) == (5000, 10.0, 3, 2.0)
    assert part.quantiles[0] == 1.0 and len(part.quantiles) == len(loadbench.QUANTILES)
