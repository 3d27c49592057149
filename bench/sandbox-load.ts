// Load generator for bench/sandbox.bench.ts, run in its own process so the client's CPU is not the
// server's. Usage: node bench/sandbox-load.ts '<json {url, headers, concurrency, ms, warmupMs}>'
// Prints { requests, seconds, p50, p99 } (latencies in ms) as JSON on stdout.
const { url, headers, concurrency, ms, warmupMs } = JSON.parse(process.argv[2]) as {
  url: string; headers: Record<string, string>; concurrency: number; ms: number; warmupMs: number;
};

async function run(duration: number, record: boolean) {
  const latencies: number[] = [];
  const until = performance.now() + duration;
  let failures = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) failures++;
      if (record) latencies.push(performance.now() - t);
    }
  }));
  return { latencies, failures };
}

await run(warmupMs, false);
const started = performance.now();
const { latencies, failures } = await run(ms, true);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(JSON.stringify({ requests: latencies.length, failures, seconds, p50: at(0.5), p99: at(0.99) }));
