package io.quicksilver.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of IP addresses, {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of one. Parsed
 * from literals only (never a DNS lookup). An IPv4 block also holds the IPv4-mapped IPv6 form of its addresses.
 *
 * @param network the block's first address bytes (4 or 16)
 * @param prefix  how many leading bits are fixed
 */
public record Cidr(byte[] network, int prefix) {

  public Cidr {
    network = network.clone();
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  /** Parses {@code address[/prefix]}. */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    if (!address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") && !(address.contains(":") && address.matches("[0-9A-Fa-f:.]+"))) {
      throw new IllegalArgumentException("not an IP address or CIDR block: \"" + text + "\"");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address or CIDR block: \"" + text + "\"");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      String bits = s.substring(slash + 1);
      if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > bytes.length * 8) {
        throw new IllegalArgumentException("not a prefix length for this address: \"" + text + "\"");
      }
      prefix = Integer.parseInt(bits);
    }
    for (int bit = prefix; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new Cidr(bytes, prefix);
  }

  /** Whether the address lies in the block. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length == 16 && network.length == 4 && isIpv4Mapped(a)) {
      a = Arrays.copyOfRange(a, 12, 16);
    }
    if (a.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && prefix == c.prefix && Arrays.equals(network, c.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return "?/" + prefix;
    }
  }
}
