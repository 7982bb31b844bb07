// peers.mjs runs the peer extractors on a JSONL corpus ({"id","text"} per
// line) for bench/run.sh: throughput of each (best of --rounds runs) and,
// with --out, what each found in every message.
//
//   node peers.mjs --corpus corpus.jsonl [--rounds 3] [--out found.jsonl] [--regions regions.json]
//
// ioc-extractor: URLs, domains, emails, IPv4/IPv6, BTC, ETH (the kinds
// Vigil compares on). libphonenumber-js: findPhoneNumbersInText with a
// default country per message (from --regions, else none).
import fs from 'node:fs';
import { partialExtractIOC } from 'ioc-extractor';
import { findPhoneNumbersInText } from 'libphonenumber-js/max';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const rounds = Number(args.rounds || 3);
const lines = fs.readFileSync(args.corpus, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const regions = args.regions ? JSON.parse(fs.readFileSync(args.regions, 'utf8')) : {};
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l.text), 0);
const iocKinds = ['urls', 'domains', 'emails', 'ipv4s', 'ipv6s', 'btcs', 'eths'];

function time(fn) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return best;
}

const result = { bytes, messages: lines.length, rounds };
result['ioc-extractor'] = { seconds: time(() => { for (const l of lines) partialExtractIOC(l.text, iocKinds); }) };
result['libphonenumber-js'] = { seconds: time(() => { for (const l of lines) findPhoneNumbersInText(l.text, regions[l.id] || undefined); }) };
for (const k of ['ioc-extractor', 'libphonenumber-js']) result[k].mbps = bytes / result[k].seconds / 1e6;

if (args.out) {
  const out = fs.createWriteStream(args.out);
  for (const l of lines) {
    const ioc = partialExtractIOC(l.text, iocKinds);
    const phones = findPhoneNumbersInText(l.text, regions[l.id] || undefined).map((p) => p.number.number);
    out.write(JSON.stringify({ id: l.id, ...Object.fromEntries(iocKinds.map((k) => [k, ioc[k]])), phones }) + '\n');
  }
  out.end();
}
console.log(JSON.stringify(result));
