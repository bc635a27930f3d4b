<?php
// The Symfony flow against a hub, with Debian's symfony/mercure (0.6) and symfony/http-client, as a Symfony
// app does it: the app's Authorization service sets the mercureAuthorization cookie for a private topic; the
// browser (here EventSourceHttpClient, sending that cookie and the app's Origin) subscribes; the app
// publishes with the Hub service and a publisher JWT shaped like the one lcobucci/jwt mints for Symfony.
// lcobucci/jwt is not packaged in Debian, so the token factory below signs the same header and claims.
//
// Usage: php symfony-flow.php HUB_URL JWT_SECRET APP_ORIGIN
// Prints one JSON object per line: {"cookie":...}, {"cors":...}, {"published":...} and {"event":...}.

declare(strict_types=1);

require_once 'Symfony/Component/Mercure/autoload.php';

use Symfony\Component\HttpClient\Chunk\ServerSentEvent;
use Symfony\Component\HttpClient\EventSourceHttpClient;
use Symfony\Component\HttpClient\HttpClient;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\Mercure\Authorization;
use Symfony\Component\Mercure\Hub;
use Symfony\Component\Mercure\HubRegistry;
use Symfony\Component\Mercure\Jwt\FactoryTokenProvider;
use Symfony\Component\Mercure\Jwt\TokenFactoryInterface;
use Symfony\Component\Mercure\Update;

/** HS256 tokens with LcobucciFactory's header and claims: {"typ":"JWT","alg":"HS256"}, mercure.publish/subscribe, exp. */
final class Hs256TokenFactory implements TokenFactoryInterface
{
    public function __construct(private string $secret)
    {
    }

    public function create(?array $subscribe = [], ?array $publish = [], array $additionalClaims = []): string
    {
        $mercure = [];
        if (null !== $publish) {
            $mercure['publish'] = array_values($publish);
        }
        if (null !== $subscribe) {
            $mercure['subscribe'] = array_values($subscribe);
        }
        $claims = $additionalClaims;
        $claims['mercure'] = array_merge($mercure, $additionalClaims['mercure'] ?? []);
        $exp = $claims['exp'] ?? new \DateTimeImmutable('+3600 seconds');
        $claims['exp'] = $exp instanceof \DateTimeInterface ? $exp->getTimestamp() : $exp;
        $b64 = static fn (string $s): string => rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
        $input = $b64(json_encode(['typ' => 'JWT', 'alg' => 'HS256'])).'.'.$b64(json_encode($claims, JSON_UNESCAPED_SLASHES));

        return $input.'.'.$b64(hash_hmac('sha256', $input, $this->secret, true));
    }
}

function out(array $line): void
{
    echo json_encode($line, JSON_UNESCAPED_SLASHES), "\n";
}

[, $hubUrl, $secret, $appOrigin] = $argv;
$private = 'https://example.com/users/42/alerts';
$otherPrivate = 'https://example.com/users/43/alerts';
$public = 'https://example.com/books/1';
$control = 'https://example.com/control';

$factory = new Hs256TokenFactory($secret);
$hub = new Hub($hubUrl, new FactoryTokenProvider($factory, [], ['*']), $factory);

// The app's controller: $authorization->setCookie($request, [$private]) on a page of the app.
$authorization = new Authorization(new HubRegistry($hub));
$cookie = $authorization->createCookie(Request::create($appOrigin.'/'), [$private]);
out(['cookie' => ['name' => $cookie->getName(), 'path' => $cookie->getPath(), 'httpOnly' => $cookie->isHttpOnly(),
    'sameSite' => $cookie->getSameSite(), 'secure' => $cookie->isSecure()]]);

// The browser: EventSource with credentials from the app's origin.
$browser = new EventSourceHttpClient(HttpClient::create(), 1.0);
$query = http_build_query(['topic' => [$private, $otherPrivate, $public, $control]], '', '&', PHP_QUERY_RFC3986);
$query = preg_replace('/%5B\d+%5D=/', '=', $query);
$source = $browser->connect($hubUrl.'?'.$query, ['headers' => [
    'Cookie' => $cookie->getName().'='.$cookie->getValue(),
    'Origin' => $appOrigin,
]]);

$published = false;
$deadline = microtime(true) + 20;
foreach ($browser->stream($source, 2.0) as $chunk) {
    if (microtime(true) > $deadline) {
        out(['error' => 'timed out']);
        exit(1);
    }
    if ($chunk->isTimeout()) {
        continue;
    }
    if ($chunk->isFirst()) {
        $headers = $source->getHeaders(false);
        out(['cors' => ['status' => $source->getStatusCode(),
            'allowOrigin' => $headers['access-control-allow-origin'][0] ?? null,
            'allowCredentials' => $headers['access-control-allow-credentials'][0] ?? null]]);
    }
    if (!$published) {
        // The app publishes once the stream is open.
        $published = true;
        out(['published' => 'public', 'id' => $hub->publish(new Update($public, '{"title":"Dune"}'))]);
        out(['published' => 'private', 'id' => $hub->publish(new Update($private, 'price alert', true, null, 'alert', 3000))]);
        out(['published' => 'other private', 'id' => $hub->publish(new Update($otherPrivate, 'not for this cookie', true))]);
        out(['published' => 'control', 'id' => $hub->publish(new Update($control, 'control', false, 'control-1'))]);
    }
    if ($chunk instanceof ServerSentEvent) {
        out(['event' => ['id' => $chunk->getId(), 'type' => $chunk->getType(), 'data' => $chunk->getData(), 'retry' => $chunk->getRetry()]]);
        if ('control-1' === $chunk->getId()) {
            $source->cancel();
            exit(0);
        }
    }
}
out(['error' => 'the stream ended']);
exit(1);
