/**
 * Active subscriptions (classic "Active Subscriptions", draft-08 "Subscription API" and subscription events):
 * the cluster-wide directory of who subscribes to what, the API that lists it, and the events the hub
 * publishes when a subscription opens or closes.
 */
package io.quicksilver.subscriptions;
