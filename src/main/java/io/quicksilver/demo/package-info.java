/**
 * The demo's HTTP side: its pages, login with sessions, the cookie it hands to {@code EventSource}, and its
 * history and alert endpoints. Off in production.
 */
package io.quicksilver.demo;
