package io.quicksilver.history;

import io.quicksilver.mercure.Update;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history in Redis, shared by every node of a cluster.
 *
 * <p>Keys (all under one hash tag, so they live in one slot of a Redis Cluster): {@code {p}:stream} a Redis
 * Stream whose entry ids are {@code <sequence>-0} (each entry carries its id, its update, its append's nonce, and
 * hub events a field {@code h}); {@code {p}:seq} the counter; {@code {p}:ids} a hash id → the earliest sequence
 * holding it, with {@code {p}:next} (sequence → the next sequence holding the same id) and {@code {p}:last}
 * (id → the latest, for ids held more than once); {@code {p}:epoch} a random epoch; {@code {p}:floor} the
 * sequence up to which nothing is replayable, {@code {p}:real} how many updates lie above it; {@code {p}:hubq}
 * the sequences of the hub events above it, oldest first; {@code {p}:trimmed} the sequence physically trimmed up
 * to; {@code {p}:cancelled} the nonces of appends cancelled before they ran (a sorted set, rarely written);
 * {@code {p}:topics} the per-topic index, a sorted set of {@code <topic hash>:<sequence>} members (16 hex digits
 * each, so that one topic's entries are one lexicographic range), covering the sequences from {@code {p}:tfrom} to
 * {@code {p}:tlast} (older entries, or entries a node without the index appended, are read by scanning). One
 * Lua script increments the counter, appends, indexes the id and trims, atomically: the sequence is dense and
 * assigned in the same step as the append.
 *
 * <p><b>Group commit.</b> Appends go in runs of the same script ({@link #APPEND_BATCH}): an append made while
 * {@value #MAX_BATCHES_IN_FLIGHT} runs await their answer waits, and goes with the others that came meanwhile (up to
 * {@value #MAX_BATCH}) in the next run; appends made on an event loop wait for the end of its current iteration, so
 * that the publishes it read together go together. Alone, an append goes at once; under load, one round trip and one
 * script run carry many. Each append in a run keeps its own nonce and its own final outcome (below).
 *
 * <p><b>Two lanes.</b> Like the in-memory store, the history holds publishers' updates and the hub's own events
 * (subscription events, {@link Update#hubEvent()}) apart, each up to {@code capacity} entries, so that hub events
 * never push an update out. When an update goes past the capacity the floor moves to the oldest update above it
 * (and the hub events below it leave with it); when a hub event goes past it, the oldest hub event is deleted
 * from the stream (replays skip the gap). Trimming below the floor is batched: the stream holds up to
 * {@code slack} entries more, and trimmed ids leave the index in the same script. Replays see exactly what lies
 * above the floor, so a replay with {@code limit >= 2 * capacity} always reaches the head; the slack only serves
 * gap fills ({@link #range}). An id held by several entries resolves to the earliest one still replayable.
 *
 * <p><b>Epochs.</b> Every script first checks that the history is the one this node saw, and starts a new
 * epoch (an empty history numbered from 1) when it is not: the epoch key is gone (FLUSHALL, a restart
 * without persistence, eviction), the counter or the stream is gone (eviction) or the counter is below the
 * stream's newest entry (a partial restore), or the history went
 * backwards under the same epoch (a restore from an older snapshot, writes lost with {@code appendfsync
 * everysec} or in a failover): the counter is below the newest sequence this node observed, or that
 * sequence now names another update (a hub event observed there may have been deleted since: its absence
 * proves nothing). Old cursors are then unknown, and delivery instances treat the new epoch as a loss (see
 * {@code Sequencer}).
 *
 * <p><b>Final outcomes.</b> Each append carries a nonce. When Redis does not answer within the deadline
 * (or the connection drops after sending), the store does not guess: it asks Redis, on another connection,
 * to cancel the nonce. The cancel script answers "already appended" (the append counts: success), or
 * records the nonce as cancelled, which the append script refuses from then on (the append never happens:
 * {@link NotStoredException}). Redis runs scripts one at a time, so the two answers cannot both hold. The
 * cancel says neither when Redis restarted, failed over or lost the history in between (it cannot know
 * what the lost server did: {@link OutcomeUnknownException}), nor, for a hub event, when hub events appended
 * since may have been deleted; nor does silence for ten deadlines.
 * Appends refused before they ran (Redis unreachable before sending, an error reply such as OOM or
 * READONLY) are {@link NotStoredException} at once.
 *
 * <p>A replay for exact topics reads the index: one lexicographic range per topic and one lookup per entry it
 * names, O(k log n) for the k entries returned, instead of every entry after the cursor. Entries leave the index
 * when they leave the stream.
 *
 * <p>Cursor lookups are a hash lookup (and a walk along the entries sharing the id, past the floor) plus an
 * XRANGE from that sequence: O(log n + k). Every read has a deadline; past it the read fails. The pooled client
 * reconnects on its own; a periodic probe keeps {@link #ready()} current, and appends are refused at once while
 * Redis is known unreachable.
 */
public final class RedisEventStore implements EventStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisEventStore.class);

  /** How many deadlines an append waits for a verdict before its outcome is unknown. */
  static final int VERDICT_DEADLINES = 10;
  /** Most appends sent in one script run. */
  private static final int MAX_BATCH = 64;
  /** Most bytes of payload sent in one script run (one larger append still goes alone). */
  private static final int MAX_BATCH_BYTES = 256 * 1024;
  /** Most script runs of appends awaiting their answer at once; appends made meanwhile wait and go together. */
  private static final int MAX_BATCHES_IN_FLIGHT = 4;

  /** The keys' names after the prefix, in the order the scripts number them (KEYS[1] to KEYS[14]). */
  static final List<String> KEY_NAMES = List.of("stream", "ids", "seq", "epoch", "trimmed", "cancelled",
      "floor", "hubq", "next", "last", "real", "topics", "tfrom", "tlast");

  /**
   * Shared by the scripts that may start an epoch: ARGV[1] a fresh epoch, ARGV[2..5] the epoch, sequence and id
   * this node last observed at the head, and "1" when that entry is a hub event. Returns the current epoch, after
   * starting a new one when the history is missing or went backwards.
   */
  private static final String CURRENT_EPOCH = """
      local function current()
        local epoch = redis.call('GET', KEYS[4])
        local fresh = not epoch
        if epoch then
          local seq = redis.call('GET', KEYS[3])
          if not seq then
            fresh = true
          else
            seq = tonumber(seq)
            local knownSeq = tonumber(ARGV[3])
            local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            if seq > 0 and #top == 0 then
              fresh = true
            elseif #top > 0 and tonumber(string.match(top[1][1], '^(%d+)-')) > seq then
              fresh = true
            elseif epoch == ARGV[2] and seq < knownSeq then
              fresh = true
            elseif epoch == ARGV[2] and knownSeq > tonumber(redis.call('GET', KEYS[5]) or '0') then
              local e = redis.call('XRANGE', KEYS[1], knownSeq .. '-0', knownSeq .. '-0')
              if #e == 0 then
                fresh = ARGV[5] ~= '1'
              else
                fresh = e[1][2][2] ~= ARGV[4]
              end
            end
          end
        end
        if fresh then
          epoch = ARGV[1]
          redis.call('DEL', KEYS[1], KEYS[2], KEYS[5], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14])
          redis.call('SET', KEYS[3], 0)
          redis.call('SET', KEYS[4], epoch)
        end
        return epoch
      end
      """;

  /**
   * Appends in one script run, in order: ARGV[1..5] a fresh epoch and what this node observed (as
   * {@link #CURRENT_EPOCH}), ARGV[6] the capacity, [7] the trimming slack, then five arguments per append: the id,
   * the payload, the nonce, "1" for a hub event, the hashes of its topics, comma-separated (kept in the entry, field
   * {@code t}, and indexed). Answers one {sequence, epoch} per append ({-1, ''} when its nonce was cancelled before
   * it ran); an append that fails ends the run with {-2, error}, and the appends after it are not run.
   *
   * <p>The history it leaves is the one the appends would leave one at a time, each as a run of its own (nodes
   * before this script ran exactly that, and share the history with it). The hot path, so it checks for a history
   * gone backwards cheaply, once, at the run's first append (the full check runs with every head read): the epoch
   * or the counter missing, the counter at or below what this node saw or behind the stream, the stream missing.
   * Once that append is in, nothing else can change the history until the run ends, so the rest of the run keeps
   * the counter, the floor, the count of updates above it, the index's end and the oldest hub event in locals and
   * writes them back once; per append only the entry and its id go in at once. The topic index is written once per
   * run too (before anything leaves it), the entries past the floor are read ahead for the whole run, and trimmed
   * entries leave the indexes in one command per key.
   */
  static final String APPEND_BATCH = """
      local capacity = tonumber(ARGV[6])
      local slack = tonumber(ARGV[7])
      local out = {}
      local cancels = redis.call('EXISTS', KEYS[6]) == 1
      local kept = {} -- the index's end, the floor, the updates above it and the trimmed mark, as the run found them
      local function fresh()
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[5], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14])
        redis.call('SET', KEYS[4], ARGV[1])
        redis.call('SET', KEYS[3], 1)
        kept = {}
        return ARGV[1], 1
      end
      local function xadd(b, seq)
        if ARGV[b + 3] == '1' then
          return redis.pcall('XADD', KEYS[1], seq .. '-0', 'id', ARGV[b], 'u', ARGV[b + 1], 'n', ARGV[b + 2], 'h', '1', 't', ARGV[b + 4])
        end
        return redis.pcall('XADD', KEYS[1], seq .. '-0', 'id', ARGV[b], 'u', ARGV[b + 1], 'n', ARGV[b + 2], 't', ARGV[b + 4])
      end
      local function failed(r)
        return type(r) == 'table' and r.err
      end
      -- a command with many arguments, in parts (Lua unpacks a few thousand values at most)
      local function many(command, key, args)
        local results = {}
        for i = 1, #args, 1000 do
          local r = redis.call(command, key, unpack(args, i, math.min(#args, i + 999)))
          if type(r) == 'table' then
            for _, v in ipairs(r) do
              results[#results + 1] = v
            end
          end
        end
        return results
      end
      -- the epoch, the newest sequence assigned, and what the run keeps in locals (nil until its first append is in)
      local epoch, seq, lastAdded, floor, floorKey, real, realKey, trimmed
      local hubFirst -- the oldest hub event above the floor: nil unknown, false none
      local ahead, aheadAt -- entries above the floor read ahead, and the next one to look at
      local members = {} -- topic index members not written yet: 0, member, 0, member, ...
      local function writeTopics()
        if #members > 0 then
          many('ZADD', KEYS[12], members)
          members = {}
        end
      end
      local function writeBack()
        writeTopics()
        if lastAdded then
          local changed = {KEYS[3], seq, KEYS[14], lastAdded}
          if floor ~= floorKey then
            changed[#changed + 1] = KEYS[7]
            changed[#changed + 1] = floor
          end
          if real ~= realKey then
            changed[#changed + 1] = KEYS[11]
            changed[#changed + 1] = real
          end
          redis.call('MSET', unpack(changed))
        end
      end
      -- removes entries (in order) from the id index, where each must be the earliest entry holding its id, and
      -- from the topic index (entries written before it have no field t); as one HGET and HSET/HDEL each would
      local function forget(entries)
        if #entries == 0 then
          return
        end
        writeTopics()
        local eids, seqs, seen = {}, {}, {}
        for i, e in ipairs(entries) do
          seqs[i] = string.match(e[1], '^(%d+)-')
          local eid = e[2][2]
          if not seen[eid] then
            seen[eid] = true
            eids[#eids + 1] = eid
          end
        end
        local was, lastWas, nexts = many('HMGET', KEYS[2], eids), many('HMGET', KEYS[10], eids), many('HMGET', KEYS[9], seqs)
        local first, last, nxt = {}, {}, {}
        for i, eid in ipairs(eids) do
          first[eid] = was[i]
          last[eid] = lastWas[i]
        end
        for i, s in ipairs(seqs) do
          nxt[s] = nexts[i]
        end
        local gone, untopic = {}, {}
        for i, e in ipairs(entries) do
          local s, eid = seqs[i], e[2][2]
          if first[eid] == s then
            local n = nxt[s]
            if n then
              first[eid] = n
              gone[#gone + 1] = s
              if last[eid] == n then
                last[eid] = false
              end
            else
              first[eid] = false
              last[eid] = false
            end
          end
          local fields = e[2]
          for f = 1, #fields - 1, 2 do
            if fields[f] == 't' then
              local at = string.format('%016x', tonumber(s))
              for hash in string.gmatch(fields[f + 1], '[^,]+') do
                untopic[#untopic + 1] = hash .. ':' .. at
              end
            end
          end
        end
        local set, unset, unlast = {}, {}, {}
        for i, eid in ipairs(eids) do
          if first[eid] ~= was[i] then
            if first[eid] then
              set[#set + 1] = eid
              set[#set + 1] = first[eid]
            else
              unset[#unset + 1] = eid
            end
          end
          if lastWas[i] and not last[eid] then
            unlast[#unlast + 1] = eid
          end
        end
        many('HSET', KEYS[2], set)
        many('HDEL', KEYS[2], unset)
        many('HDEL', KEYS[9], gone)
        many('HDEL', KEYS[10], unlast)
        many('ZREM', KEYS[12], untopic)
      end
      for b = 8, #ARGV - 4, 5 do
        if cancels and redis.call('ZSCORE', KEYS[6], ARGV[b + 2]) then
          out[#out + 1] = {-1, ''}
        else
          if not lastAdded then
            -- the run's first append: is this the history this node saw? (with what the run keeps, read at once)
            kept = redis.call('MGET', KEYS[4], KEYS[14], KEYS[7], KEYS[11], KEYS[5])
            epoch = kept[1]
            if not epoch then
              epoch, seq = fresh()
            else
              seq = redis.call('INCR', KEYS[3])
              if (seq > 1 and redis.call('EXISTS', KEYS[1]) == 0) or (epoch == ARGV[2] and seq <= tonumber(ARGV[3])) then
                epoch, seq = fresh()
              end
            end
            local added = xadd(b, seq)
            if failed(added) then
              if not string.find(added.err, 'equal or smaller') then
                out[#out + 1] = {-2, added.err}
                return out
              end
              epoch, seq = fresh()
              added = xadd(b, seq)
              if failed(added) then
                out[#out + 1] = {-2, added.err}
                return out
              end
            end
            -- the index covers [tfrom, tlast] without a hole: after a sequence appended without it, it starts again here
            if tonumber(kept[2] or '-1') ~= seq - 1 then
              redis.call('SET', KEYS[13], seq)
            end
            floor = tonumber(kept[3] or '0')
            real = kept[4]
            trimmed = tonumber(kept[5] or '0')
            if not real then
              -- a new epoch, or a history written before the lanes existed (updates only): its newest capacity entries
              floor = math.max(floor, seq - 1 - capacity)
              redis.call('SET', KEYS[7], floor)
              real = seq - 1 - floor - redis.call('LLEN', KEYS[8])
              redis.call('SET', KEYS[11], real)
            else
              real = tonumber(real)
            end
            floorKey, realKey = floor, real
          else
            seq = seq + 1
            local added = xadd(b, seq)
            if failed(added) then
              out[#out + 1] = {-2, added.err}
              writeBack()
              return out
            end
          end
          lastAdded = seq
          if redis.call('HSETNX', KEYS[2], ARGV[b], seq) == 0 then
            local first = redis.call('HGET', KEYS[2], ARGV[b])
            redis.call('HSET', KEYS[9], redis.call('HGET', KEYS[10], ARGV[b]) or first, seq)
            redis.call('HSET', KEYS[10], ARGV[b], seq)
          end
          local at = string.format('%016x', seq)
          for hash in string.gmatch(ARGV[b + 4], '[^,]+') do
            members[#members + 1] = 0
            members[#members + 1] = hash .. ':' .. at
          end
          if ARGV[b + 3] == '1' then
            hubFirst = nil
            if redis.call('RPUSH', KEYS[8], seq) > capacity then
              local old = redis.call('LPOP', KEYS[8])
              local e = redis.call('XRANGE', KEYS[1], old .. '-0', old .. '-0')
              if #e > 0 then
                forget(e)
                redis.call('XDEL', KEYS[1], old .. '-0')
                ahead = nil
              end
            end
          else
            real = real + 1
            if real > capacity then
              -- the oldest update above the floor leaves: the floor moves to it, past the hub events before it; as a
              -- rule the next entry is an update, so the run reads one entry ahead per append left in it
              local count = math.floor((#ARGV - b) / 5) + 1
              while true do
                if not ahead or aheadAt > #ahead then
                  ahead = redis.call('XRANGE', KEYS[1], '(' .. floor .. '-0', '+', 'COUNT', count)
                  aheadAt = 1
                  count = 64
                  if #ahead == 0 then
                    ahead = nil
                    break
                  end
                end
                local e = ahead[aheadAt]
                aheadAt = aheadAt + 1
                floor = tonumber(string.match(e[1], '^(%d+)-'))
                if e[2][7] ~= 'h' then
                  break
                end
              end
              real = real - 1
              while true do
                if hubFirst == nil then
                  hubFirst = redis.call('LINDEX', KEYS[8], 0)
                end
                if not hubFirst or tonumber(hubFirst) > floor then
                  break
                end
                redis.call('LPOP', KEYS[8])
                hubFirst = nil
              end
              if floor - trimmed >= slack then
                forget(redis.call('XRANGE', KEYS[1], '-', floor .. '-0'))
                redis.call('XTRIM', KEYS[1], 'MINID', (floor + 1) .. '-0')
                redis.call('SET', KEYS[5], floor)
                trimmed = floor
              end
            end
          end
          out[#out + 1] = {seq, epoch}
        end
      end
      writeBack()
      return out
      """;

  /**
   * ARGV[1..5] as {@link #CURRENT_EPOCH}, ARGV[6] "earliest", "cursor" or "position", [7] the id or the position's
   * epoch, [8] the position's sequence, [9] the capacity, [10] the limit, [11] {@code *} for every entry, else the
   * hashes of the topics wanted, comma-separated. A history written before the floor existed replays its newest
   * capacity entries. By topic: the index where it covers the range ({@code [tfrom, tlast]}), every entry outside
   * it (a history written before the index, or by a node without it).
   */
  private static final String READ_AFTER = CURRENT_EPOCH + """
      local epoch = current()
      local head = tonumber(redis.call('GET', KEYS[3]))
      local floor = tonumber(redis.call('GET', KEYS[7]) or '-1')
      if floor < 0 then
        floor = math.max(0, head - tonumber(ARGV[9]))
      end
      local from = floor
      if ARGV[6] == 'cursor' then
        local s = redis.call('HGET', KEYS[2], ARGV[7])
        while s and tonumber(s) <= floor do
          s = redis.call('HGET', KEYS[9], s)
        end
        if not s then
          return {head, epoch, 0, {}}
        end
        from = tonumber(s)
      elseif ARGV[6] == 'position' and ARGV[7] == epoch then
        from = math.min(math.max(tonumber(ARGV[8]), floor), head)
      end
      local limit = tonumber(ARGV[10])
      if ARGV[11] == '*' then
        return {head, epoch, 1, redis.call('XRANGE', KEYS[1], '(' .. from .. '-0', '+', 'COUNT', limit)}
      end
      local out = {}
      local function scan(a, b)
        if b > a and #out < limit then
          for _, e in ipairs(redis.call('XRANGE', KEYS[1], '(' .. a .. '-0', b .. '-0', 'COUNT', limit - #out)) do
            out[#out + 1] = e
          end
        end
      end
      local tfrom = tonumber(redis.call('GET', KEYS[13]) or '-1')
      local tlast = tonumber(redis.call('GET', KEYS[14]) or '-1')
      if tfrom < 1 or tlast < tfrom then
        scan(from, head)
        return {head, epoch, 1, out}
      end
      scan(from, tfrom - 1)
      local lo = math.max(from, tfrom - 1)
      if tlast > lo and #out < limit then
        local seqs = {}
        for hash in string.gmatch(ARGV[11], '[^,]+') do
          for _, m in ipairs(redis.call('ZRANGEBYLEX', KEYS[12], '(' .. hash .. ':' .. string.format('%016x', lo),
              '[' .. hash .. ':' .. string.format('%016x', tlast), 'LIMIT', 0, limit)) do
            seqs[#seqs + 1] = tonumber(string.sub(m, #hash + 2), 16)
          end
        end
        table.sort(seqs)
        local previous = -1
        for _, s in ipairs(seqs) do
          if #out >= limit then
            break
          end
          if s ~= previous then
            previous = s
            local e = redis.call('XRANGE', KEYS[1], s .. '-0', s .. '-0')
            if #e > 0 then
              out[#out + 1] = e[1]
            end
          end
        end
      end
      scan(math.max(from, tlast), head)
      return {head, epoch, 1, out}
      """;

  private static final String HEAD = CURRENT_EPOCH + """
      local epoch = current()
      local seq = tonumber(redis.call('GET', KEYS[3]))
      local id = ''
      local hub = '0'
      if seq > 0 then
        local e = redis.call('XRANGE', KEYS[1], seq .. '-0', seq .. '-0')
        if #e > 0 then
          id = e[1][2][2]
          hub = e[1][2][7] == 'h' and '1' or '0'
        end
      end
      return {seq, epoch, id, string.match(redis.call('INFO', 'server'), 'run_id:(%x+)') or '', hub}
      """;

  /** ARGV[1] the epoch the sequences belong to, ARGV[2] and [3] the XRANGE bounds. */
  private static final String RANGE = """
      local epoch = redis.call('GET', KEYS[4]) or ''
      if epoch ~= ARGV[1] then
        return {0, epoch, {}}
      end
      return {1, epoch, redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[3])}
      """;

  /**
   * ARGV[1] the nonce, ARGV[2] the epoch and ARGV[3] the server run id observed before the append was sent,
   * ARGV[4] the newest sequence observed then, ARGV[5] "1" when the append is a hub event. Looks for the nonce
   * among the entries appended since (or in the whole history of an epoch started since). Answers
   * {1, sequence, epoch} when the append ran, {0} when it is cancelled for good, {2} when it cannot tell
   * (another server process, another epoch, or the append may have been trimmed since; a hub event may also
   * have been deleted by newer ones: every deleted hub event lies below the oldest one held, or below the floor
   * when none is).
   */
  static final String CANCEL = """
      local epoch = redis.call('GET', KEYS[4]) or ''
      local from = '-'
      if epoch == ARGV[2] then
        from = '(' .. ARGV[4] .. '-0'
      end
      for _ = 1, 200 do
        local entries = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', 1000)
        for _, e in ipairs(entries) do
          if e[2][6] == ARGV[1] then
            return {1, tonumber(string.match(e[1], '^(%d+)-')), epoch}
          end
        end
        if #entries < 1000 then
          break
        end
        from = '(' .. entries[#entries][1]
      end
      local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)') or ''
      local trimmed = tonumber(redis.call('GET', KEYS[5]) or '0')
      if run ~= ARGV[3] or epoch ~= ARGV[2] or trimmed > tonumber(ARGV[4]) then
        return {2}
      end
      if ARGV[5] == '1' then
        local held = redis.call('LINDEX', KEYS[8], 0) or (tonumber(redis.call('GET', KEYS[7]) or '0') + 1)
        if tonumber(held) > tonumber(ARGV[4]) + 1 then
          return {2}
        end
      end
      local now = tonumber(redis.call('TIME')[1])
      redis.call('ZADD', KEYS[6], now, ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now - 3600)
      return {0}
      """;

  /** The server process's run id (it changes with every restart and failover). */
  private static final String RUN_ID = """
      return string.match(redis.call('INFO', 'server'), 'run_id:(%x+)') or ''
      """;

  /** Error replies of commands Redis refused before running them (nothing was written). */
  /** The digests of the scripts (the script text is the key: its hash code is kept by the string). */
  private static final Map<String, String> SHAS = new ConcurrentHashMap<>();

  private static final Set<String> REFUSALS = Set.of("NOSCRIPT", "OOM", "READONLY", "MASTERDOWN", "LOADING", "BUSY",
      "NOPERM", "NOAUTH", "WRONGPASS", "CLUSTERDOWN", "TRYAGAIN", "CROSSSLOT", "MOVED", "ASK", "NOREPLICAS", "MISCONF");

  /**
   * The newest position this node observed: a later answer below it, in the same epoch, is a rewind.
   *
   * @param hub whether the entry there is a hub event (which newer hub events may delete)
   */
  private record Mark(String epoch, long sequence, String id, boolean hub) {
  }

  private final Vertx vertx;
  private final Redis redis;
  private final boolean ownsClient;
  private final String[] keys;
  private final int capacity;
  private final int slack;
  private final long timeoutMs;
  private final String nonces = UUID.randomUUID().toString();
  private final AtomicLong nonceCount = new AtomicLong();
  private volatile boolean ready;
  /** Whether Redis ever answered this store. */
  private volatile boolean answered;
  private volatile String epoch = "";
  private final List<Consumer<String>> epochListeners = new CopyOnWriteArrayList<>();
  private volatile String runId = "";
  private Mark mark = new Mark("", 0, "", false);
  /** Appends not sent yet, oldest first, and how many script runs of appends await their answer (guarded by this). */
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private int batchesInFlight;
  /**
   * Whether a send is due at the end of the current iteration of the calling event loop ({@link #sendSoon}): one flag
   * per loop, so that a loop busy with a long iteration never holds back the appends of another.
   */
  private final ThreadLocal<boolean[]> sendDue = ThreadLocal.withInitial(() -> new boolean[1]);
  private long pinger = -1;

  /**
   * @param url      the Redis URL ({@code redis://[:password@]host:port[/db]})
   * @param prefix   key prefix
   * @param capacity how many updates to keep
   * @param timeout  deadline of each command
   */
  public RedisEventStore(Vertx vertx, String url, String prefix, int capacity, Duration timeout) {
    this(vertx, client(vertx, url, timeout), true, prefix, capacity, timeout);
  }

  /**
   * A store on a client the caller owns (and closes).
   *
   * @param redis    a client from {@link RedisClients}
   * @param prefix   key prefix
   * @param capacity how many updates to keep
   * @param timeout  deadline of each command
   */
  public RedisEventStore(Vertx vertx, Redis redis, String prefix, int capacity, Duration timeout) {
    this(vertx, redis, false, prefix, capacity, timeout);
  }

  private RedisEventStore(Vertx vertx, Redis redis, boolean ownsClient, String prefix, int capacity, Duration timeout) {
    this.vertx = vertx;
    this.redis = redis;
    this.ownsClient = ownsClient;
    this.capacity = capacity;
    this.slack = Math.max(1, Math.min(1000, capacity / 100));
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.keys = keys(prefix).toArray(String[]::new);
  }

  /** A pooled client for one standalone Redis URL. */
  public static Redis client(Vertx vertx, String url, Duration timeout) {
    return RedisClients.standalone(vertx, url, timeout);
  }

  /** The hub's key for {@code name} under a prefix: all keys share the hash tag {@code {prefix}}. */
  public static String key(String prefix, String name) {
    return "{" + prefix + "}:" + name;
  }

  /** Every key of the history under a prefix, in the order the scripts number them. */
  static List<String> keys(String prefix) {
    return KEY_NAMES.stream().map(name -> key(prefix, name)).toList();
  }

  /**
   * Checks the connection once, then every second. Completes even when Redis is unreachable: the hub
   * starts unready (publish answers 503) and becomes ready when Redis answers.
   */
  public Future<Void> start() {
    pinger = vertx.setPeriodic(1000, id -> ping());
    return head()
        .onSuccess(h -> LOG.info("Redis history ready (epoch {}, head sequence {})", h.epoch(), h.sequence()))
        .onFailure(err -> LOG.warn("Redis unreachable at start-up ({}); publishing answers 503 until it is back", err.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void ping() {
    timed(script(RUN_ID)).onComplete(ar -> {
      if (ar.succeeded() != ready) {
        if (ar.succeeded()) {
          LOG.info("Redis reachable again");
        } else {
          LOG.warn("Redis unreachable: {}", ar.cause().getMessage());
        }
      }
      if (ar.succeeded()) {
        runId = ar.result().toString();
      }
      ready = ar.succeeded();
    });
  }

  @Override
  public Future<Appended> add(Update update) {
    if (!ready && answered) {
      // Redis stopped answering (a probe or a command failed): refused without trying, rather than held
      // until a verdict (before its first answer, e.g. a slow first connection, appends are tried)
      return Future.failedFuture(new NotStoredException("Redis is unreachable"));
    }
    Pending pending = new Pending(update, nonces + ":" + nonceCount.incrementAndGet(), encode(update));
    synchronized (this) {
      waiting.add(pending);
    }
    sendSoon();
    return pending.outcome.future();
  }

  /**
   * Sends what is waiting once the calling event loop has handled the rest of what it read in this iteration (its
   * tasks run after its I/O): the appends of all the publishes read together go in one run, instead of the first few
   * going alone while runs are free. Off an event loop, at once.
   */
  private void sendSoon() {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      sendWaiting();
      return;
    }
    boolean[] due = sendDue.get(); // the loop's own: its task runs on this thread
    if (!due[0]) {
      due[0] = true;
      context.runOnContext(v -> {
        due[0] = false;
        sendWaiting();
      });
    }
  }

  /**
   * Sends the appends waiting, in runs of up to {@link #MAX_BATCH}, while fewer than {@link #MAX_BATCHES_IN_FLIGHT}
   * runs await their answer: under load, appends made while others are on their way go together (group commit);
   * alone, an append goes at once.
   */
  private void sendWaiting() {
    while (true) {
      List<Pending> batch;
      synchronized (this) {
        if (waiting.isEmpty() || batchesInFlight >= MAX_BATCHES_IN_FLIGHT) {
          return;
        }
        batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
        long bytes = 0;
        while (!waiting.isEmpty() && batch.size() < MAX_BATCH
            && (batch.isEmpty() || bytes + waiting.peekFirst().payload.length() <= MAX_BATCH_BYTES)) {
          Pending next = waiting.pollFirst();
          bytes += next.payload.length();
          batch.add(next);
        }
        batchesInFlight++;
      }
      send(batch);
    }
  }

  /** One script run for a batch of appends, with one deadline and one give-up timer for all of them. */
  private void send(List<Pending> batch) {
    Mark known = observed();
    String atSend = runId;
    String[] args = new String[2 + 5 * batch.size()];
    args[0] = String.valueOf(capacity);
    args[1] = String.valueOf(slack);
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      p.sent(known, atSend);
      args[2 + 5 * i] = p.update.id();
      args[3 + 5 * i] = p.payload;
      args[4 + 5 * i] = p.nonce;
      args[5 + 5 * i] = flag(p.update.hubEvent());
      args[6 + 5 * i] = topicHashes(p.update.topics());
    }
    AtomicBoolean released = new AtomicBoolean(); // its place among the runs in flight: at its answer or deadline
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        synchronized (this) {
          batchesInFlight--;
        }
      }
    };
    long deadline = vertx.setTimer(timeoutMs, id -> {
      ready = false;
      release.run();
      batch.forEach(Pending::askVerdict);
      refuseWaiting();
    });
    long giveUp = vertx.setTimer(timeoutMs * VERDICT_DEADLINES, id -> batch.forEach(p -> p.outcome.tryFail(
        new OutcomeUnknownException("Redis gave no verdict within " + timeoutMs * VERDICT_DEADLINES + " ms"))));
    Future.join(batch.stream().map(p -> p.outcome.future()).toList()).onComplete(all -> {
      vertx.cancelTimer(deadline);
      vertx.cancelTimer(giveUp);
    });
    script(APPEND_BATCH, known, args).onComplete(ar -> {
      release.run();
      if (ar.succeeded()) {
        Response results = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          Response r = i < results.size() ? results.get(i) : null;
          long seq = r == null ? -2 : r.get(0).toLong();
          if (seq == -1) {
            batch.get(i).outcome.tryFail(new NotStoredException("the append was cancelled before it ran"));
          } else if (seq < 0) {
            batch.get(i).askVerdict(); // it failed, or was not run after one that failed: Redis decides which
          } else {
            batch.get(i).stored(r.get(1).toString(), seq);
          }
        }
      } else if (refusedBeforeSending(ar.cause())) {
        ready = false;
        batch.forEach(p -> p.outcome.tryFail(new NotStoredException(ar.cause().getMessage())));
      } else if (refusedByRedis(ar.cause())) {
        batch.forEach(p -> p.outcome.tryFail(new NotStoredException(ar.cause().getMessage())));
      } else {
        batch.forEach(Pending::askVerdict); // sent, and the answer lost with the connection: ask what became of them
      }
      sendWaiting();
    });
  }

  /** Refuses the appends not sent yet: Redis stopped answering, and they were never sent (final). */
  private void refuseWaiting() {
    List<Pending> refused;
    synchronized (this) {
      refused = new ArrayList<>(waiting);
      waiting.clear();
    }
    refused.forEach(p -> p.outcome.tryFail(new NotStoredException("Redis is unreachable")));
  }

  /** One append waiting for its outcome: the append's own answer, or the verdict of a cancel. */
  private final class Pending {
    final Update update;
    final String nonce;
    final String payload;
    /** What this node had observed, and the server's run id, when the append was sent. */
    Mark known;
    String runIdAtSend;
    final Promise<Appended> outcome = Promise.promise();
    private final AtomicBoolean asked = new AtomicBoolean();

    Pending(Update update, String nonce, String payload) {
      this.update = update;
      this.nonce = nonce;
      this.payload = payload;
    }

    void sent(Mark known, String runIdAtSend) {
      this.known = known;
      this.runIdAtSend = runIdAtSend;
    }

    void stored(String storedEpoch, long seq) {
      observeEpoch(storedEpoch);
      observe(storedEpoch, seq, update.id(), update.hubEvent());
      outcome.tryComplete(new Appended(storedEpoch, update.withSequence(seq)));
    }

    void askVerdict() {
      if (!outcome.future().isComplete() && asked.compareAndSet(false, true)) {
        LOG.debug("Redis did not confirm an append within {} ms; asking it to cancel the append", timeoutMs);
        cancel();
      }
    }

    private void cancel() {
      if (outcome.future().isComplete()) {
        return;
      }
      timed(script(CANCEL, nonce, known.epoch(), runIdAtSend, String.valueOf(known.sequence()), flag(update.hubEvent())))
          .onComplete(ar -> {
            if (ar.failed()) {
              vertx.setTimer(Math.max(50, timeoutMs / 2), id -> cancel()); // until the give-up timer
              return;
            }
            Response r = ar.result();
            switch (r.get(0).toInteger()) {
              case 1 -> stored(r.get(2).toString(), r.get(1).toLong());
              case 0 -> outcome.tryFail(new NotStoredException("Redis did not run the append in time; it is cancelled"));
              default -> outcome.tryFail(new OutcomeUnknownException(
                  "Redis restarted, failed over or lost its history before confirming the append"));
            }
          });
    }
  }

  @Override
  public Future<Replay> readAfter(String lastEventId, int limit) {
    return readAfter(lastEventId, limit, null);
  }

  @Override
  public Future<Replay> readAfter(String lastEventId, int limit, Set<String> topics) {
    boolean earliest = EARLIEST.equals(lastEventId);
    Position position = earliest ? null : Position.parse(lastEventId);
    String mode = earliest ? "earliest" : position != null ? "position" : "cursor";
    return timed(script(READ_AFTER, observed(), mode, position != null ? position.epoch() : lastEventId,
        String.valueOf(position != null ? position.sequence() : 0), String.valueOf(capacity), String.valueOf(Math.max(1, limit)),
        topics == null ? "*" : topicHashes(topics)))
        .map(r -> {
          long head = r.get(0).toLong();
          observeEpoch(r.get(1).toString());
          if (r.get(2).toInteger() == 0) {
            return new Replay(Replay.Cursor.UNKNOWN, List.of(), head);
          }
          Replay.Cursor cursor = earliest ? Replay.Cursor.EARLIEST : position != null ? Replay.Cursor.POSITION : Replay.Cursor.FOUND;
          return new Replay(cursor, entries(r.get(3)), head);
        });
  }

  @Override
  public Future<List<Update>> range(long afterSequence, long untilSequence) {
    if (untilSequence <= afterSequence || untilSequence <= 0) {
      return Future.succeededFuture(List.of());
    }
    return timed(redis.send(Request.cmd(Command.XRANGE).arg(keys[0]).arg(from(afterSequence)).arg(untilSequence + "-0")))
        .map(RedisEventStore::entries);
  }

  @Override
  public Future<List<Update>> range(String inEpoch, long afterSequence, long untilSequence) {
    if (untilSequence <= afterSequence || untilSequence <= 0) {
      return Future.succeededFuture(List.of());
    }
    return timed(script(RANGE, inEpoch, from(afterSequence), untilSequence + "-0")).compose(r -> r.get(0).toInteger() == 1
        ? Future.succeededFuture(entries(r.get(2)))
        : Future.failedFuture(new EpochChangedException(inEpoch, r.get(1).toString())));
  }

  /** The exclusive XRANGE start after a sequence (stream ids are unsigned: below 0 means the same as 0). */
  private static String from(long afterSequence) {
    return "(" + Math.max(0, afterSequence) + "-0";
  }

  @Override
  public Future<List<Update>> latest(int count) {
    return timed(redis.send(Request.cmd(Command.XREVRANGE).arg(keys[0]).arg("+").arg("-").arg("COUNT").arg(Math.max(1, count))))
        .map(r -> {
          List<Update> newestFirst = new ArrayList<>(entries(r));
          java.util.Collections.reverse(newestFirst);
          return newestFirst;
        });
  }

  @Override
  public Future<String> lastEventId() {
    return latest(1).map(last -> last.isEmpty() ? EARLIEST : last.get(0).id());
  }

  @Override
  public Future<Head> head() {
    return timed(script(HEAD, observed())).map(r -> {
      String headEpoch = r.get(1).toString();
      long seq = r.get(0).toLong();
      observeEpoch(headEpoch);
      runId = r.get(3).toString();
      observe(headEpoch, seq, r.get(2).toString(StandardCharsets.UTF_8), "1".equals(r.get(4).toString()));
      return new Head(headEpoch, seq);
    });
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public void onEpoch(Consumer<String> listener) {
    epochListeners.add(listener);
  }

  @Override
  public void removeEpochListener(Consumer<String> listener) {
    epochListeners.remove(listener);
  }

  /** Remembers the epoch an answer was in, and tells the listeners when it is another than the last one seen. */
  private void observeEpoch(String answered) {
    String previous = epoch;
    epoch = answered;
    if (!answered.isEmpty() && !answered.equals(previous)) {
      epochListeners.forEach(l -> l.accept(answered));
    }
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public Future<Void> close() {
    if (pinger >= 0) {
      vertx.cancelTimer(pinger);
    }
    return ownsClient ? redis.close() : Future.succeededFuture();
  }

  /** The newest position observed so far. */
  private synchronized Mark observed() {
    return mark;
  }

  /** Remembers a position the store answered: the newest of an epoch, or the first of another one. */
  private synchronized void observe(String inEpoch, long sequence, String id, boolean hub) {
    if (!inEpoch.equals(mark.epoch()) || sequence > mark.sequence()) {
      mark = new Mark(inEpoch, sequence, id, hub);
    }
  }

  /** Runs a script that may start an epoch: a fresh epoch and what this node observed go first. */
  private Future<Response> script(String script, Mark known, String... args) {
    String[] all = new String[args.length + 5];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    all[0] = new UUID(random.nextLong(), random.nextLong()).toString(); // used only if a new epoch starts
    all[1] = known.epoch();
    all[2] = String.valueOf(known.sequence());
    all[3] = known.id();
    all[4] = flag(known.hub());
    System.arraycopy(args, 0, all, 5, args.length);
    return script(script, all);
  }

  private static String flag(boolean on) {
    return on ? "1" : "0";
  }

  /** Runs a script by its digest, loading it when Redis does not hold it (a restart, a failover). No deadline. */
  private Future<Response> script(String script, String... args) {
    String sha = SHAS.computeIfAbsent(script, RedisEventStore::sha1);
    return redis.send(withArgs(Request.cmd(Command.EVALSHA).arg(sha), args))
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
            ? redis.send(withArgs(Request.cmd(Command.EVAL).arg(script), args))
            : Future.failedFuture(err))
        .onSuccess(r -> {
          ready = true;
          answered = true;
        });
  }

  private Request withArgs(Request request, String... args) {
    request.arg(keys.length);
    for (String k : keys) {
      request.arg(k);
    }
    for (String a : args) {
      request.arg(a);
    }
    return request;
  }

  private <T> Future<T> timed(Future<T> future) {
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (promise.tryFail(new TimeoutException("Redis did not answer within " + timeoutMs + " ms"))) {
        ready = false;
      }
    });
    future.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed() && isConnectionFailure(ar.cause())) {
        ready = false;
      }
      if (ar.succeeded()) {
        promise.tryComplete(ar.result());
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }

  private static boolean isConnectionFailure(Throwable t) {
    return t instanceof java.io.IOException || t instanceof java.net.ConnectException
        || (t.getMessage() != null && t.getMessage().contains("onnection"));
  }

  /** Whether a command failed before any byte of it reached Redis (no connection could be had). */
  private static boolean refusedBeforeSending(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      // connect failures and timeouts (also the Sentinel and Cluster clients' "no endpoint answered") are
      // ConnectExceptions; a refused certificate ends the connection before any command is written
      if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException
          || c instanceof javax.net.ssl.SSLHandshakeException || c instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
        return true;
      }
    }
    return false;
  }

  /** Whether Redis answered with an error it gives before running a command (so nothing was written). */
  private static boolean refusedByRedis(Throwable t) {
    String message = t.getMessage();
    if (message == null || t instanceof java.io.IOException) {
      return false;
    }
    int space = message.indexOf(' ');
    return REFUSALS.contains(space < 0 ? message : message.substring(0, space));
  }

  static String encode(Update u) {
    JsonObject json = new JsonObject()
        .put("topics", new JsonArray(u.topics()))
        .put("data", u.data());
    if (u.privateUpdate()) {
      json.put("private", true);
    }
    if (u.type() != null) {
      json.put("type", u.type());
    }
    if (u.retry() != null) {
      json.put("retry", u.retry());
    }
    return json.encode();
  }

  static List<Update> entries(Response array) {
    if (array == null) {
      return List.of();
    }
    List<Update> out = new ArrayList<>(array.size());
    for (Response entry : array) {
      String streamId = entry.get(0).toString();
      long seq = Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
      Response fields = entry.get(1);
      String id = null;
      String payload = null;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String name = fields.get(i).toString();
        if (name.equals("id")) {
          id = fields.get(i + 1).toString(StandardCharsets.UTF_8);
        } else if (name.equals("u")) {
          payload = fields.get(i + 1).toString(StandardCharsets.UTF_8);
        }
      }
      JsonObject json = new JsonObject(payload);
      List<String> topics = new ArrayList<>();
      json.getJsonArray("topics").forEach(t -> topics.add((String) t));
      out.add(new Update(seq, id, topics, json.getString("data", ""), json.getBoolean("private", false),
          json.getString("type"), json.getLong("retry")));
    }
    return out;
  }

  /**
   * The index's name of each topic, comma-separated, once each: 64 bits of FNV-1a over its UTF-16 units, in hex. Two
   * topics may share one (a replay then reads both; the subscriber still matches each update); the hash only has to
   * stay the same across nodes and versions.
   */
  static String topicHashes(Collection<String> topics) {
    StringBuilder out = new StringBuilder(17 * topics.size());
    Set<String> seen = topics.size() > 1 ? new HashSet<>() : null;
    for (String topic : topics) {
      String hash = topicHash(topic);
      if (seen == null || seen.add(hash)) {
        if (out.length() > 0) {
          out.append(',');
        }
        out.append(hash);
      }
    }
    return out.toString();
  }

  static String topicHash(String topic) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < topic.length(); i++) {
      h ^= topic.charAt(i);
      h *= 0x100000001b3L;
    }
    String hex = Long.toHexString(h);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
