// Load generator for bench/sandbox.bench.ts, run in its own process so the client's CPU is not the
// server's. Usage: node bench/sandbox-load.ts '<json {urls, headers, concurrency, ms, warmupMs}>'
// With several urls each connection takes them in turn (request i goes to urls[i % n]), so they are
// measured in the same moments of a noisy machine. Prints { requests, failures, seconds, byUrl:
// [{ requests, p50, p99 }] } (latencies in ms) as JSON on stdout.
const { urls, headers, concurrency, ms, warmupMs } = JSON.parse(process.argv[2]) as {
  urls: string[]; headers: Record<string, string>; concurrency: number; ms: number; warmupMs: number;
};

async function run(duration: number, record: boolean) {
  const latencies: number[][] = urls.map(() => []);
  const until = performance.now() + duration;
  let failures = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = 0; performance.now() < until; i++) {
      const which = i % urls.length;
      const t = performance.now();
      const res = await fetch(urls[which], { headers });
      await res.arrayBuffer();
      if (res.status !== 200) failures++;
      if (record) latencies[which].push(performance.now() - t);
    }
  }));
  return { latencies, failures };
}

await run(warmupMs, false);
const started = performance.now();
const { latencies, failures } = await run(ms, true);
const seconds = (performance.now() - started) / 1000;
const byUrl = latencies.map((l) => {
  l.sort((a, b) => a - b);
  const at = (q: number) => l[Math.min(l.length - 1, Math.floor(q * l.length))];
  return { requests: l.length, p50: at(0.5), p99: at(0.99) };
});
console.log(JSON.stringify({ requests: latencies.reduce((n, l) => n + l.length, 0), failures, seconds, byUrl }));
