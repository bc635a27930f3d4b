/** The demo's price alerts: where they are kept and the verticle that fires them. */
package io.quicksilver.demo.alerts;
