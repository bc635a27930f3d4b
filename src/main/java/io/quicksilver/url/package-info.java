/**
 * The URL standards the hub reads topics and URL pattern selectors with: the WHATWG URL Standard's basic URL
 * parser ({@link io.quicksilver.url.WhatwgUrl}) and the WHATWG URL Pattern Standard's constructor strings
 * ({@link io.quicksilver.url.UrlPattern}), compiled to RE2 expressions. Everything else here is package-private.
 * {@link io.quicksilver.url.WhatwgUrl#percentEncode} is the hub's one percent-encoder, for URLs and, with other
 * sets, for the other syntaxes it writes.
 *
 * <p>It depends on nothing of the hub, and not on Vert.x: only on re2j, and on the JDK's {@link java.net.IDN}
 * for non-ASCII hosts. What the hub adds (limits on matcher values, the compile budget that measures every
 * expression before re2j compiles it, the cache of compiled patterns, the 400 answers) lives in
 * {@code io.quicksilver.mercure}, which passes its compiler to {@link io.quicksilver.url.UrlPattern#compile}.
 * The classic protocol's RFC 6570 URI Templates are not here: they are an IETF syntax the Mercure protocol
 * gives its own matching rules to, and stay with the protocol in {@code io.quicksilver.mercure}.
 *
 * <h2>Standards, and how closely they are followed</h2>
 * <ul>
 *   <li>URL Standard (WHATWG living standard, as web-platform-tests checked it at commit
 *       26a58e8d350aafbd8bc5f381f1fc01e2bfd1c642): the basic URL parser without state override, the host parser
 *       (IPv4, IPv6, opaque hosts, domains), the percent-encode sets and the serializer. Left out by design: the
 *       Windows drive letter quirks of {@code file:} URLs. Approximated: domain to ASCII uses IDNA 2003
 *       ({@link java.net.IDN}) rather than UTS 46, with UTS 46's check of {@code xn--} labels added.</li>
 *   <li>URL Pattern Standard (WHATWG living standard, as web-platform-tests checked it at commit
 *       2d3abcf3fb013bf8dc3082cde8e83b06c5882ce5): the tokenizer, the constructor string parser, the pattern
 *       string parser, the component canonicalizers, "generate a pattern string", {@code test} and {@code exec}.
 *       Not offered: the dictionary form ({@code URLPatternInit}) and the {@code ignoreCase} option. Regexp
 *       groups are RE2, not ECMAScript: backreferences and lookaround are refused. Patterns used as Mercure
 *       selectors resolve relative inputs against their base URL (draft-08 "URL Pattern").</li>
 * </ul>
 *
 * <h2>The standards' own tests</h2>
 * Both standards' test data from web-platform-tests are kept under {@code src/test/resources/wpt} and every case
 * is run ({@code WhatwgUrlWptTest}, {@code UrlPatternWptTest}). A case of a feature left out that fails is
 * counted as skipped, with the reason; a case that fails for a known gap is a known failure, with the reason:
 * {@code https://faß.example/} keeps its {@code ß} under UTS 46 ({@code xn--fa-hia.example}), IDNA 2003 maps it
 * to {@code ss}. The dictionary-form cases are most of the URL Pattern data: the hub compiles constructor
 * strings only. These counts are checked by those tests against this text:
 * <ul>
 *   <li>urltestdata: 866 cases, 840 passed, 25 skipped (25 Windows drive letters in file: URLs), 1 known
 *       failures (1 UTS 46 deviation characters in hosts), 0 failed</li>
 *   <li>urlpatterntestdata: 353 cases, 56 passed, 297 skipped (3 dictionary-form inputs, construction checked;
 *       291 dictionary-form patterns; 3 ignoreCase option), 0 known failures, 0 failed</li>
 * </ul>
 */
package io.quicksilver.url;
