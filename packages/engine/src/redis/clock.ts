/**
 * Lua for scripts that read Redis's own clock (TIME), so that instances with skewed clocks agree:
 * `nowMs()` in epoch milliseconds, `ms(n)` a number written out whole (never as 1.7e+12).
 */
export const clockLua = `
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local function ms(number) return string.format('%.0f', number) end
`
