/**
 * Lua scripts. Redis's Lua numbers are doubles: every value here is an integer below 2^53 (the throttle package
 * guarantees that for bucket credit), and integers are written with `%d` because Redis would otherwise format
 * them with 14 significant digits.
 */

/** Current time in ms: ARGV's caller clock when given (tests), else Redis `TIME`. */
const NOW = `
local now = tonumber(ARGV[#ARGV])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`

/**
 * KEYS[1] bucket; ARGV n, unit, perMs, capacity, fillMs (0 = never full again), now-or-empty.
 * Returns { allowed (0/1), credit after }.
 */
export const TAKE = `${NOW}
local n = tonumber(ARGV[1])
local unit = tonumber(ARGV[2])
local perMs = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
local fill = tonumber(ARGV[5])
local s = redis.call('HMGET', KEYS[1], 'c', 't')
local c = cap
local last = now
if s[1] then
  c = tonumber(s[1])
  last = tonumber(s[2])
  local dt = now - last
  if dt > 0 then
    if fill > 0 and dt >= fill then
      c = cap
    else
      c = math.min(cap, c + dt * perMs)
    end
    last = now
  end
end
local cost = n * unit
local allowed = 0
if c >= cost then
  c = c - cost
  allowed = 1
end
if c >= cap then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'c', string.format('%d', c), 't', string.format('%d', last))
  if fill > 0 then redis.call('PEXPIRE', KEYS[1], fill + 1000) end
end
return { allowed, c }
`

/**
 * KEYS[1] quota; ARGV n, limit, offset, period, weekStartsOn, initialPeriod, now-or-empty.
 * Returns { allowed (0/1), used, limit in force, period end (epoch ms) }.
 */
export const CONSUME = `${NOW}
local DAY = 86400000
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
local n = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local offset = tonumber(ARGV[3])
local period = ARGV[4]
local ws = tonumber(ARGV[5])
local initial = tonumber(ARGV[6])
local day = math.floor(now / DAY)
local idx, finish
if period == 'DAY' then
  idx = day
  finish = (day + 1) * DAY
elseif period == 'WEEK' then
  idx = math.floor((day + 4 - ws) / 7)
  finish = (idx * 7 - 4 + ws + 7) * DAY
else
  local z = day + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  idx = y * 12 + m - 1
  if m == 12 then
    finish = days_from_civil(y + 1, 1, 1) * DAY
  else
    finish = days_from_civil(y, m + 1, 1) * DAY
  end
end
local s = redis.call('HMGET', KEYS[1], 'p', 'u')
local p = tonumber(s[1])
local u = tonumber(s[2]) or 0
if p == nil or p < idx then
  p = idx
  u = 0
end
if p == initial then limit = limit - offset end
local allowed = 0
if u + n <= limit then
  allowed = 1
  if n > 0 then
    u = u + n
    redis.call('HSET', KEYS[1], 'p', string.format('%d', p), 'u', string.format('%d', u))
    redis.call('PEXPIRE', KEYS[1], string.format('%d', finish - now + 60000))
  end
end
return { allowed, u, limit, finish }
`

/** KEYS[1] generation counter; ARGV prefix, key. The entry of the current generation, or nil. */
export const CACHE_GET = `
local g = redis.call('GET', KEYS[1]) or '0'
return redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])
`

/** KEYS[1] generation counter; ARGV prefix, key, value, ttl ms. */
export const CACHE_SET = `
local g = redis.call('GET', KEYS[1]) or '0'
redis.call('SET', ARGV[1] .. g .. ':' .. ARGV[2], ARGV[3], 'PX', ARGV[4])
return 1
`

/** KEYS[1] generation counter; ARGV prefix, key. 1 when an entry was removed. */
export const CACHE_DELETE = `
local g = redis.call('GET', KEYS[1]) or '0'
return redis.call('DEL', ARGV[1] .. g .. ':' .. ARGV[2])
`

/** KEYS[1] usage key prefix for one API key; ARGV n, retention ms, now-or-empty. Adds n to today's count. */
export const USAGE_ADD = `${NOW}
local k = KEYS[1] .. string.format('%d', math.floor(now / 86400000))
redis.call('INCRBY', k, ARGV[1])
redis.call('PEXPIRE', k, ARGV[2])
return 1
`
