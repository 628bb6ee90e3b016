import t from 'tap'
import { clientOf } from '../../../src/plugins/app/client-key.js'

t.test('IPv4 addresses count as they are', async (t) => {
  t.equal(clientOf('203.0.113.9'), '203.0.113.9')
  t.equal(clientOf('127.0.0.1'), '127.0.0.1')
})

t.test('IPv4-mapped IPv6 addresses count as their IPv4 address', async (t) => {
  t.equal(clientOf('::ffff:203.0.113.9'), '203.0.113.9')
  t.equal(clientOf('::FFFF:203.0.113.9'), '203.0.113.9')
  t.equal(clientOf('::ffff:cb00:7109'), '203.0.113.9', 'in hex')
  t.equal(clientOf('0:0:0:0:0:ffff:203.0.113.9'), '203.0.113.9', 'written out')
})

t.test('other IPv6 addresses count by their /64, however written', async (t) => {
  const one = ['2001:db8:1:2::1', '2001:0DB8:0001:0002:0000:0000:0000:0001', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::7%eth0', '2001:db8:1:2:0:0:10.0.0.1']
  for (const ip of one) t.equal(clientOf(ip), '2001:db8:1:2::/64', ip)
  t.equal(clientOf('2001:db8:1:3::1'), '2001:db8:1:3::/64')
  t.equal(clientOf('::1'), '0:0:0:0::/64')
  t.equal(clientOf('fe80::1%lo'), 'fe80:0:0:0::/64')
  t.equal(clientOf('2001:db8::'), '2001:db8:0:0::/64')
  t.equal(clientOf('::'), '0:0:0:0::/64')
})

t.test('anything else is passed through (it is hashed as it is)', async (t) => {
  t.equal(clientOf(''), '')
  t.equal(clientOf('not an address'), 'not an address')
})
