// IP address matching for the `cidr` operator, IPv4 and IPv6, done on integers so that every textual
// form of an IPv6 address (compressed, expanded, embedded IPv4) compares the same way.

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

const IPV4_BITS = 32;
const IPV6_BITS = 128;

/** Compiles `address/prefix`; throws an Error whose message is the AWS reason. */
export function compileCidr(cidr: string): (value: string) => boolean {
  const parts = cidr.split('/');
  if (parts.length !== 2) throw new Error(`Malformed CIDR, one '/' required: ${cidr}`);
  const network = parseIpAddress(parts[0]!);
  if (!network) throw new Error(`Nonstandard IP address: ${parts[0]}`);
  const bits = network.version === 4 ? IPV4_BITS : IPV6_BITS;
  if (!/^\d{1,3}$/.test(parts[1]!) || Number(parts[1]) > bits) {
    throw new Error(`Malformed CIDR, mask bits must be between 0 and ${bits}: ${cidr}`);
  }
  const hostBits = BigInt(bits - Number(parts[1]));
  const networkPrefix = network.value >> hostBits;
  return (value) => {
    const address = parseIpAddress(value);
    return address?.version === network.version && address.value >> hostBits === networkPrefix;
  };
}

/** An IPv4 or IPv6 address in any textual form, as an integer; undefined when it is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet) || Number(octet) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(octet));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = [...head, ...tail];
  // An embedded IPv4 address (`::ffff:10.0.0.1`) takes the place of the last two groups.
  const lastGroup = groups[groups.length - 1];
  const embeddedIpv4 = lastGroup?.includes('.') ? parseIpv4(lastGroup) : undefined;
  if (lastGroup?.includes('.') && embeddedIpv4 === undefined) return undefined;
  const hexGroups = embeddedIpv4 === undefined ? groups : groups.slice(0, -1);
  const groupCount = hexGroups.length + (embeddedIpv4 === undefined ? 0 : 2);
  if (halves.length === 1 ? groupCount !== 8 : groupCount > 7) return undefined;
  if (!hexGroups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;

  const toValue = (list: string[]) =>
    list.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
  const headCount = Math.min(head.length, hexGroups.length);
  const headValue = toValue(hexGroups.slice(0, headCount));
  const tailHexValue = toValue(hexGroups.slice(headCount));
  const tailValue = embeddedIpv4 === undefined ? tailHexValue : (tailHexValue << 32n) | embeddedIpv4;
  return (headValue << BigInt(IPV6_BITS - headCount * 16)) | tailValue;
}
