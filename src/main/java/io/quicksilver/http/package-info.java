/**
 * HTTP plumbing every feature uses, and that uses no feature: the one authentication step, body and query
 * reading, CORS, the one failure handler, connection guards (header timeout, field count, connection
 * capacity), TLS and HTTP/2 on the listener, trusted proxies, the access log and the hub UI's static files.
 */
package io.quicksilver.http;
