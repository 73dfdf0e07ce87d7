import { describe, expect, it } from 'vitest';
import { isLocalHost } from '../src/local-host.js';

/**
 * The product context refuses photo URLs that point into the viewer's own machine or network, and
 * the sell form refuses them with the same module before sending.
 */
const table: Array<[url: string, local: boolean]> = [
  ['https://photos.example.com/a.png', false],
  ['https://localhost/a.png', true],
  ['https://photos.localhost./a.png', true],
  ['https://localhost.example/a.png', false],
  ['https://8.8.8.8/a.png', false],
  ['https://0.0.0.0/a.png', true],
  ['https://10.1.2.3/a.png', true],
  ['https://127.0.0.1/a.png', true],
  ['https://0x7f.1/a.png', true],
  ['https://169.254.169.254/latest/meta-data', true],
  ['https://172.16.0.1/a.png', true],
  ['https://172.32.0.1/a.png', false],
  ['https://192.168.1.1/a.png', true],
  // carrier-grade NAT, 100.64.0.0/10
  ['https://100.63.255.255/a.png', false],
  ['https://100.64.0.1/a.png', true],
  ['https://100.127.255.255/a.png', true],
  ['https://100.128.0.0/a.png', false],
  // benchmarking, 198.18.0.0/15
  ['https://198.17.255.255/a.png', false],
  ['https://198.18.0.1/a.png', true],
  ['https://198.19.255.255/a.png', true],
  ['https://198.20.0.0/a.png', false],
  // limited broadcast and multicast, 224.0.0.0/4
  ['https://255.255.255.255/a.png', true],
  ['https://223.255.255.255/a.png', false],
  ['https://224.0.0.1/a.png', true],
  ['https://239.255.255.250/a.png', true],
  // IPv6
  ['https://[2001:4860:4860::8888]/a.png', false],
  ['https://[::]/a.png', true],
  ['https://[::1]/a.png', true],
  ['https://[::ffff:127.0.0.1]/a.png', true],
  ['https://[::ffff:8.8.8.8]/a.png', false],
  ['https://[fd00::1]/a.png', true],
  ['https://[fe80::1]/a.png', true],
  ['https://[ff02::1]/a.png', true], // multicast, ff00::/8
  ['https://[ff0e::1]/a.png', true],
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed
  ['https://[64:ff9b::10.0.0.1]/a.png', true],
  ['https://[64:ff9b::127.0.0.1]/a.png', true],
  ['https://[64:ff9b::8.8.8.8]/a.png', false],
  ['https://[2002:c0a8:101::1]/a.png', true], // 192.168.1.1
  ['https://[2002:7f00:1::]/a.png', true], // 127.0.0.1
  ['https://[2002:808:808::1]/a.png', false], // 8.8.8.8
  // site-local (fec0::/10, deprecated but still routed inside some networks)
  ['https://[fec0::1]/a.png', true],
  ['https://[feff::1]/a.png', true],
  ['https://[fe7f::1]/a.png', false], // just below link-local, public as far as any rule knows
  // IPv4-translated (::ffff:0:a.b.c.d, SIIT) reaches the IPv4 address it embeds, as a mapped one does
  ['https://[::ffff:0:7f00:1]/a.png', true],
  ['https://[::ffff:0:a00:1]/a.png', true], // 10.0.0.1
  ['https://[::ffff:0:808:808]/a.png', false], // 8.8.8.8
  // names no public DNS answers: a single label, and special-use or private suffixes
  ['https://router/a.png', true],
  ['https://router./a.png', true],
  ['https://router../a.png', true],
  ['https://printer.local../a.png', true],
  ['https://printer.local/a.png', true],
  ['https://kubernetes.default.svc.cluster.local/a.png', true],
  ['https://kubernetes.default.svc/a.png', true],
  ['https://metadata.google.internal/computeMetadata/v1/', true],
  ['https://host.docker.internal/a.png', true],
  ['https://myhost.localdomain/a.png', true],
  ['https://nas.home.arpa/a.png', true],
  ['https://nas.lan/a.png', true],
  ['https://wiki.intranet/a.png', true],
  ['https://files.corp/a.png', true],
  ['https://Printer.LOCAL./a.png', true],
  // a public name that merely contains one of those words
  ['https://local.example.com/a.png', false],
  ['https://internal.photos.example/a.png', false],
  ['https://svc.example.com/a.png', false],
  ['https://photos.locallan.com/a.png', false],
];

const answers = table.map(([url, local]) => ({ url, local, answered: isLocalHost(new URL(url).hostname) }));

describe('the local-host rule of a photo URL (product context and sell form)', () => {
  it('calls local exactly the loopback, private, link-local, site-local, shared, benchmarking, broadcast and multicast addresses, IPv6 forms embedding one, and names no public DNS answers', () => {
    expect(answers.filter(({ local, answered }) => answered !== local)).toEqual([]);
  });
});
