// The product context's rule for a photo's URL, here so the sell form refuses exactly what the
// server would: one module, imported by the product domain and by the web bundle alike (it has no
// import of its own, so it costs the bundle only itself).

/**
 * Whether a URL's host — as the WHATWG URL parser writes it, so `0x7f.1` is already `127.0.0.1`
 * and `[::ffff:127.0.0.1]` is `[::ffff:7f00:1]` — names localhost, or an IP address in a
 * loopback, private, link-local, shared (carrier-grade NAT), benchmarking, broadcast, multicast or
 * unspecified range — or an IPv6 form that carries such an IPv4 address (mapped, translated, NAT64,
 * 6to4) — or a name no public DNS answers (a single label, or a private suffix below): the viewer's
 * own machine or network. A public name that resolves to a private address (127.0.0.1.nip.io) is
 * beyond a rule without DNS (docs/security.md).
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.+$/, ''); // `router..` parses too
  if (host.startsWith('[') && host.endsWith(']')) {
    const pieces = ipv6Pieces(host.slice(1, -1));
    return pieces !== undefined && isLocalIpv6(pieces);
  }
  const octets = ipv4Octets(host);
  if (octets !== undefined) return isLocalIpv4(octets);
  // A single label (`router`) is completed by the viewer's own resolver, into the viewer's network.
  if (!host.includes('.')) return true;
  return PRIVATE_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/**
 * Suffixes no public DNS name ends in: `localhost` (RFC 6761), `local` (RFC 6762, mDNS; it covers
 * Kubernetes' `cluster.local`), `home.arpa` (RFC 8375), `internal` (reserved by ICANN for private use
 * in 2024; Google's metadata server, Docker's `host.docker.internal`), the names RFC 6762 appendix G
 * finds in private use (`intranet`, `private`, `corp`, `home`, `lan`), `localdomain` (/etc/hosts) and
 * `svc` (Kubernetes service names, `name.namespace.svc`).
 */
const PRIVATE_SUFFIXES = [
  'localhost',
  'local',
  'home.arpa',
  'internal',
  'intranet',
  'private',
  'corp',
  'home',
  'lan',
  'localdomain',
  'svc',
];

function ipv4Octets(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function isLocalIpv4([a = 0, b = 0, c = 0, d = 0]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    (a === 100 && b >= 64 && b <= 127) || // shared address space (carrier-grade NAT)
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking, often routed inside a network
    (a >= 224 && a <= 239) || // multicast
    (a === 255 && b === 255 && c === 255 && d === 255) // limited broadcast
  );
}

/** Eight 16-bit pieces of an address in hex groups (the parser writes an embedded IPv4 in hex too). */
function ipv6Pieces(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  if (!groups.flat().every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  const [head = [], tail = []] = groups;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail].map((group) =>
    parseInt(group, 16),
  );
}

function isLocalIpv6(pieces: number[]): boolean {
  const [p0 = 0, p1 = 0, p2 = 0, , , p5 = 0, p6 = 0, p7 = 0] = pieces;
  const ipv4 = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff];
  // ::a.b.c.d (which covers :: and ::1) and ::ffff:a.b.c.d reach the IPv4 address they carry.
  if (pieces.slice(0, 5).every((piece) => piece === 0) && (p5 === 0 || p5 === 0xffff))
    return p5 === 0 && p6 === 0 ? true : isLocalIpv4(ipv4(p6, p7));
  // So do NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::/48), through a gateway that translates.
  if (p0 === 0x64 && p1 === 0xff9b && pieces.slice(2, 6).every((piece) => piece === 0))
    return isLocalIpv4(ipv4(p6, p7));
  // ::ffff:0:a.b.c.d (IPv4-translated, SIIT) reaches it like a mapped address.
  if (pieces.slice(0, 4).every((piece) => piece === 0) && pieces[4] === 0xffff && p5 === 0)
    return isLocalIpv4(ipv4(p6, p7));
  if (p0 === 0x2002) return isLocalIpv4(ipv4(p1, p2));
  return (
    (p0 & 0xfe00) === 0xfc00 || // unique local
    (p0 & 0xffc0) === 0xfe80 || // link-local
    (p0 & 0xffc0) === 0xfec0 || // site-local: deprecated, still routed inside some networks
    (p0 & 0xff00) === 0xff00 // multicast
  );
}
