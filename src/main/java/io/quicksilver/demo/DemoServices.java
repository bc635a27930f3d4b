package io.quicksilver.demo;

import io.quicksilver.alerts.AlertStore;

/**
 * What the demo's HTTP routes share across verticle instances of a node.
 *
 * @param alerts   the price alerts
 * @param sessions the login sessions
 * @param logins   the node's login throttle
 */
public record DemoServices(AlertStore alerts, Sessions sessions, LoginThrottle logins) {
}
