using System;
using System.Diagnostics;
using System.Threading;

namespace PeerNet.Transport.Tcp
{
    // What a log line is about: each kind has its own budget, so a flood of one (bad handshakes) does not silence another.
    internal enum LogCategory
    {
        Handshake,
        Refused,
        Accept,
        Protocol,
        Connection,
        Count,
    }

    // Bounds the node's log: per category, at most MaxLines lines per interval (fixed windows); the rest are counted and
    // reported by one "suppressed K similar messages" line when the window ends (on the next line of that category, or by
    // a timer armed while something is suppressed, or when the node is disposed). The node's counters are not affected:
    // they count every event.
    internal sealed class LogRateLimiter : IDisposable
    {
        private readonly object _lock = new object();
        private readonly Action<string> _write;
        private readonly int _maxLines;
        private readonly long _intervalTicks;
        private readonly TimeSpan _interval;
        private readonly long[] _windowStart = new long[(int)LogCategory.Count];
        private readonly int[] _lines = new int[(int)LogCategory.Count];
        private readonly long[] _suppressed = new long[(int)LogCategory.Count];
        private readonly Timer _timer;
        private long _totalSuppressed;
        private bool _timerArmed;
        private bool _disposed;

        public LogRateLimiter(Action<string> write, int maxLines, TimeSpan interval)
        {
            _write = write;
            _maxLines = maxLines;
            _interval = interval;
            _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
            _timer = new Timer(s => ((LogRateLimiter)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
        }

        // Lines not written (reported only in the "suppressed" lines).
        public long Suppressed => Interlocked.Read(ref _totalSuppressed);

        public void Write(LogCategory category, string line)
        {
            string? summary = null;
            bool write;
            lock (_lock)
            {
                var c = (int)category;
                var now = Stopwatch.GetTimestamp();
                if (now - _windowStart[c] >= _intervalTicks || _windowStart[c] == 0)
                {
                    summary = EndWindowLocked(c);
                    _windowStart[c] = now;
                    _lines[c] = 0;
                }

                write = _lines[c] < _maxLines;
                if (write)
                {
                    _lines[c]++;
                }
                else
                {
                    _suppressed[c]++;
                    Interlocked.Increment(ref _totalSuppressed);
                    if (!_timerArmed && !_disposed)
                    {
                        _timerArmed = true;
                        _timer.Change(_interval, Timeout.InfiniteTimeSpan);
                    }
                }
            }

            if (summary is not null)
            {
                _write(summary);
            }

            if (write)
            {
                _write(line);
            }
        }

        // Reports what is still suppressed (the node is disposed) and stops the timer.
        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _timer.Dispose();
            }

            Flush(force: true);
        }

        private void OnTimer()
        {
            lock (_lock)
            {
                _timerArmed = false;
            }

            Flush(force: false);
        }

        // Ends the windows that are over (every window when force) and writes their "suppressed" lines; re-arms the timer
        // for a window that is not over yet and has suppressed lines.
        private void Flush(bool force)
        {
            var summaries = new string?[(int)LogCategory.Count];
            lock (_lock)
            {
                var now = Stopwatch.GetTimestamp();
                for (var c = 0; c < (int)LogCategory.Count; c++)
                {
                    if (_suppressed[c] == 0)
                    {
                        continue;
                    }

                    if (force || now - _windowStart[c] >= _intervalTicks)
                    {
                        summaries[c] = EndWindowLocked(c);
                        _windowStart[c] = 0;
                        _lines[c] = 0;
                    }
                    else if (!_timerArmed && !_disposed)
                    {
                        _timerArmed = true;
                        var left = TimeSpan.FromSeconds((double)(_intervalTicks - (now - _windowStart[c])) / Stopwatch.Frequency);
                        _timer.Change(left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left, Timeout.InfiniteTimeSpan);
                    }
                }
            }

            foreach (var summary in summaries)
            {
                if (summary is not null)
                {
                    _write(summary);
                }
            }
        }

        private string? EndWindowLocked(int c)
        {
            var suppressed = _suppressed[c];
            if (suppressed == 0)
            {
                return null;
            }

            _suppressed[c] = 0;
            return $"suppressed {suppressed} similar messages ({(LogCategory)c}): at most {_maxLines} per {_interval.TotalSeconds:0.###} s are logged; the counters count every event";
        }
    }
}
