/**
 * The configuration: {@link io.quicksilver.config.HubConfig} and its records, built once at start-up by
 * {@link io.quicksilver.config.ConfigLoader} from defaults, a YAML file and the environment (the hub's own
 * {@code QS_*} names, the reference hub's {@code MERCURE_*} names and Caddyfile directives), and validated.
 * Every key is defined once, in {@link io.quicksilver.config.Keys}: name, variable, parser, default and meaning;
 * README's table and the Helm chart are tested against it. Keys are parsed into the types of {@code auth} and
 * {@code mercure}; nothing here runs at request time. Publishing, streams and active subscriptions never see
 * this package: the composition root hands each of their handlers the values it uses.
 */
package io.quicksilver.config;
