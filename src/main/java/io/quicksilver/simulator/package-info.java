/** The demo's simulated stock prices, published through the normal publish path. */
package io.quicksilver.simulator;
