package io.quicksilver.history;

/**
 * The append scripts of nodes before the batch script (up to {@code b172377}): every append of a run went through
 * the whole single-append logic, one entry at a time. Kept, unchanged, as the reference the batch script must
 * agree with: a node running these and a node running {@link RedisEventStore#APPEND_BATCH} share one history.
 */
final class AppendOneByOne {

  private AppendOneByOne() {
  }

  /**
   * ARGV[1..5] a fresh epoch and what this node observed (as {@code CURRENT_EPOCH}), ARGV[6] the id, [7] the
   * payload, [8] the capacity, [9] the trimming slack, [10] the append's nonce, [11] "1" for a hub event, [12] the
   * hashes of its topics, comma-separated (kept in the entry, field {@code t}, and indexed). The hot
   * path, so it checks for a history gone backwards cheaply (the full check runs with every head read): the
   * counter missing, at or below what this node saw, or behind the stream; the stream missing.
   */
  static final String APPEND = """
      if redis.call('ZSCORE', KEYS[6], ARGV[10]) then
        return {-1, ''}
      end
      local hub = ARGV[11] == '1'
      local topics = ARGV[12] or ''
      local capacity = tonumber(ARGV[8])
      local function fresh()
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[5], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14])
        redis.call('SET', KEYS[4], ARGV[1])
        redis.call('SET', KEYS[3], 1)
        return ARGV[1], 1
      end
      local function xadd(seq)
        if hub then
          return redis.pcall('XADD', KEYS[1], seq .. '-0', 'id', ARGV[6], 'u', ARGV[7], 'n', ARGV[10], 'h', '1', 't', topics)
        end
        return redis.pcall('XADD', KEYS[1], seq .. '-0', 'id', ARGV[6], 'u', ARGV[7], 'n', ARGV[10], 't', topics)
      end
      -- removes an entry from the topic index (entries written before it have no field t)
      local function untopic(s, fields)
        for i = 1, #fields - 1, 2 do
          if fields[i] == 't' then
            local at = string.format('%016x', tonumber(s))
            for hash in string.gmatch(fields[i + 1], '[^,]+') do
              redis.call('ZREM', KEYS[12], hash .. ':' .. at)
            end
          end
        end
      end
      -- removes an entry's id from the index, where it must be the earliest entry holding it
      local function unindex(s, eid)
        if redis.call('HGET', KEYS[2], eid) ~= s then
          return
        end
        local n = redis.call('HGET', KEYS[9], s)
        if n then
          redis.call('HSET', KEYS[2], eid, n)
          redis.call('HDEL', KEYS[9], s)
          if redis.call('HGET', KEYS[10], eid) == n then
            redis.call('HDEL', KEYS[10], eid)
          end
        else
          redis.call('HDEL', KEYS[2], eid)
          redis.call('HDEL', KEYS[10], eid)
        end
      end
      local epoch = redis.call('GET', KEYS[4])
      local seq
      if not epoch then
        epoch, seq = fresh()
      else
        seq = redis.call('INCR', KEYS[3])
        if (seq > 1 and redis.call('EXISTS', KEYS[1]) == 0) or (epoch == ARGV[2] and seq <= tonumber(ARGV[3])) then
          epoch, seq = fresh()
        end
      end
      local added = xadd(seq)
      if type(added) == 'table' and added.err then
        if not string.find(added.err, 'equal or smaller') then
          return added
        end
        epoch, seq = fresh()
        added = xadd(seq)
        if type(added) == 'table' and added.err then
          return added
        end
      end
      local first = redis.call('HGET', KEYS[2], ARGV[6])
      if first then
        redis.call('HSET', KEYS[9], redis.call('HGET', KEYS[10], ARGV[6]) or first, seq)
        redis.call('HSET', KEYS[10], ARGV[6], seq)
      else
        redis.call('HSET', KEYS[2], ARGV[6], seq)
      end
      local at = string.format('%016x', seq)
      for hash in string.gmatch(topics, '[^,]+') do
        redis.call('ZADD', KEYS[12], 0, hash .. ':' .. at)
      end
      -- the index covers [tfrom, tlast] without a hole: after a sequence appended without it, it starts again here
      if tonumber(redis.call('GET', KEYS[14]) or '-1') ~= seq - 1 then
        redis.call('SET', KEYS[13], seq)
      end
      redis.call('SET', KEYS[14], seq)
      local floor = tonumber(redis.call('GET', KEYS[7]) or '0')
      if not redis.call('GET', KEYS[11]) then
        -- a new epoch, or a history written before the lanes existed (updates only): its newest capacity entries
        floor = math.max(floor, seq - 1 - capacity)
        redis.call('SET', KEYS[7], floor)
        redis.call('SET', KEYS[11], seq - 1 - floor - redis.call('LLEN', KEYS[8]))
      end
      if hub then
        redis.call('RPUSH', KEYS[8], seq)
        if redis.call('LLEN', KEYS[8]) > capacity then
          local old = redis.call('LPOP', KEYS[8])
          local e = redis.call('XRANGE', KEYS[1], old .. '-0', old .. '-0')
          if #e > 0 then
            unindex(old, e[1][2][2])
            untopic(old, e[1][2])
            redis.call('XDEL', KEYS[1], old .. '-0')
          end
        end
        return {seq, epoch}
      end
      if redis.call('INCR', KEYS[11]) > capacity then
        -- the oldest update above the floor leaves: the floor moves to it, past the hub events before it
        local found = false
        local count = 1 -- as a rule the next entry is an update: reading more would copy entries for nothing
        while not found do
          local batch = redis.call('XRANGE', KEYS[1], '(' .. floor .. '-0', '+', 'COUNT', count)
          count = 64
          if #batch == 0 then
            break
          end
          for _, e in ipairs(batch) do
            floor = tonumber(string.match(e[1], '^(%d+)-'))
            if e[2][7] ~= 'h' then
              found = true
              break
            end
          end
        end
        redis.call('SET', KEYS[7], floor)
        redis.call('DECR', KEYS[11])
        while true do
          local h = redis.call('LINDEX', KEYS[8], 0)
          if not h or tonumber(h) > floor then
            break
          end
          redis.call('LPOP', KEYS[8])
        end
        local trimmed = tonumber(redis.call('GET', KEYS[5]) or '0')
        if floor - trimmed >= tonumber(ARGV[9]) then
          for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', floor .. '-0')) do
            local s = string.match(e[1], '^(%d+)-')
            unindex(s, e[2][2])
            untopic(s, e[2])
          end
          redis.call('XTRIM', KEYS[1], 'MINID', (floor + 1) .. '-0')
          redis.call('SET', KEYS[5], floor)
        end
      end
      return {seq, epoch}
      """;

  /**
   * Several appends in one script run, in order, each exactly as {@link #APPEND}: ARGV[1..5] as there, ARGV[6] the
   * capacity, [7] the trimming slack, then five arguments per append (id, payload, nonce, "1" for a hub event, topic
   * hashes). Answers one {sequence, epoch} per append ({-1, ''} when cancelled before it ran); an append that fails
   * ends the run with {-2, error}, and the appends after it are not run.
   */
  static final String APPEND_BATCH = "local function one(ARGV)\n" + APPEND + """
      end
      local out = {}
      for b = 8, #ARGV - 4, 5 do
        local r = one({ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[b], ARGV[b + 1], ARGV[6], ARGV[7], ARGV[b + 2],
          ARGV[b + 3], ARGV[b + 4]})
        if r.err then
          out[#out + 1] = {-2, r.err}
          return out
        end
        out[#out + 1] = r
      end
      return out
      """;
}
