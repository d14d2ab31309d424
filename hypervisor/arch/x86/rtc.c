/* Reads the CMOS real-time clock once at boot, so that guests get the
 * wall-clock time in shared_info. */
#include <mica/arch.h>
#include <mica/time.h>
#include <x86/cpu.h>

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define RTC_UPDATE_IN_PROGRESS 0x80
#define RTC_BINARY  0x04
#define RTC_24HOUR  0x02

static uint64_t wallclock_base;     /* Unix seconds at system time 0 */
static uint32_t wallclock_base_ns;

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static unsigned int from_bcd(uint8_t v, bool binary)
{
    return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
    y -= m <= 2;
    unsigned int era = y / 400;
    unsigned int yoe = y - era * 400;
    unsigned int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (uint64_t)era * 146097 + doe - 719468;
}

void rtc_init(void)
{
    uint8_t sec = 0, min = 0, hour = 0, day = 1, mon = 1, year = 0, status;

    /* Read twice until stable: the RTC may tick over between reads. */
    for (int tries = 0; tries < 1000000; tries++) {
        if (cmos_read(0x0a) & RTC_UPDATE_IN_PROGRESS)
            continue;
        sec = cmos_read(0x00); min = cmos_read(0x02); hour = cmos_read(0x04);
        day = cmos_read(0x07); mon = cmos_read(0x08); year = cmos_read(0x09);
        if (sec == cmos_read(0x00) && min == cmos_read(0x02))
            break;
    }
    status = cmos_read(0x0b);
    bool binary = status & RTC_BINARY;
    bool pm = hour & 0x80;
    unsigned int h = from_bcd(hour & 0x7f, binary);
    if (!(status & RTC_24HOUR))
        h = (h % 12) + (pm ? 12 : 0);
    unsigned int y = 2000 + from_bcd(year, binary);
    uint64_t secs = days_since_epoch(y, from_bcd(mon, binary), from_bcd(day, binary)) * 86400 +
                    h * 3600 + from_bcd(min, binary) * 60 + from_bcd(sec, binary);
    uint64_t now = time_now();
    wallclock_base = secs - now / NSEC_PER_SEC;
    wallclock_base_ns = 0;
    if (now % NSEC_PER_SEC) {
        /* Borrow a second so the nanoseconds stay positive. */
        wallclock_base -= 1;
        wallclock_base_ns = (uint32_t)(NSEC_PER_SEC - now % NSEC_PER_SEC);
    }
}

void arch_set_wallclock(uint64_t sec, uint32_t nsec)
{
    wallclock_base = sec;
    wallclock_base_ns = nsec;
}

void arch_wallclock(uint64_t *sec, uint32_t *nsec)
{
    *sec = wallclock_base;
    *nsec = wallclock_base_ns;
}
