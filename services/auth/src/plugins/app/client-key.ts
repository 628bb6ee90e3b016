import { isIPv6 } from 'node:net'

/** The eight 16-bit groups of a valid IPv6 address (an IPv4 tail is folded into the last two). */
function groupsOf (ip: string): number[] {
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip)
  const text = v4 === null
    ? ip
    : ip.slice(0, v4.index) + [[1, 2], [3, 4]].map(([hi, lo]) => ((Number(v4[hi!]) << 8) | Number(v4[lo!])).toString(16)).join(':')
  const [left = '', right] = text.split('::')
  const head = left === '' ? [] : left.split(':')
  const tail = right === undefined || right === '' ? [] : right.split(':')
  const gap = Array.from({ length: 8 - head.length - tail.length }, () => '0')
  return [...head, ...gap, ...tail].map((group) => parseInt(group, 16))
}

/**
 * Who a per-IP limit counts: an IPv4 address as it is, an IPv4-mapped IPv6 address as its IPv4,
 * and any other IPv6 address by its /64. One host or home network is routinely given a whole
 * /64, so counting full IPv6 addresses would let one client rotate through 2^64 of them.
 */
export function clientOf (ip: string): string {
  const bare = ip.replace(/%.*$/, '')
  if (!isIPv6(bare)) return bare
  const groups = groupsOf(bare)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.')
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`
}
