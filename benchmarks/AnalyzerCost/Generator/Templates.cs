namespace AnalyzerCost.Generator;

/// <summary>
/// Source templates. Every file is self-contained apart from Common.cs, compiles without warnings of
/// its own (only PeerNet's PN diagnostics, on purpose), and is about 150 lines.
/// </summary>
internal static class Templates
{
    public static string Common() => """
        using System.Collections.Concurrent;
        using System.Text.RegularExpressions;

        namespace Contoso.Common;

        public interface ILog
        {
            void Info(string message);
            void Warn(string message);
            void Error(string message, Exception? exception = null);
        }

        public interface IClock
        {
            DateTimeOffset UtcNow { get; }
        }

        public sealed class SystemClock : IClock
        {
            public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
        }

        public sealed class ConsoleLog : ILog
        {
            public void Info(string message) => Console.WriteLine("info: " + message);
            public void Warn(string message) => Console.WriteLine("warn: " + message);
            public void Error(string message, Exception? exception = null) => Console.Error.WriteLine("fail: " + message + " " + exception);
        }

        public sealed record ValidationError(string Field, string Message);

        public sealed class ValidationResult
        {
            private readonly List<ValidationError> _errors = new();

            public IReadOnlyList<ValidationError> Errors => _errors;

            public bool IsValid => _errors.Count == 0;

            public ValidationResult Add(string field, string message)
            {
                _errors.Add(new ValidationError(field, message));
                return this;
            }

            public override string ToString() => string.Join("; ", _errors.Select(e => $"{e.Field}: {e.Message}"));
        }

        public readonly record struct Result<T>(T? Value, string? Error)
        {
            public bool IsSuccess => Error is null;

            public static Result<T> Ok(T value) => new(value, null);

            public static Result<T> Fail(string error) => new(default, error);
        }

        public interface IRepository<TKey, TEntity>
            where TKey : notnull
        {
            Task<TEntity?> FindAsync(TKey key, CancellationToken cancellationToken = default);
            Task<IReadOnlyList<TEntity>> ListAsync(Func<TEntity, bool> predicate, CancellationToken cancellationToken = default);
            Task SaveAsync(TKey key, TEntity entity, CancellationToken cancellationToken = default);
            Task<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default);
        }

        public sealed class InMemoryRepository<TKey, TEntity> : IRepository<TKey, TEntity>
            where TKey : notnull
        {
            private readonly ConcurrentDictionary<TKey, TEntity> _items = new();

            public Task<TEntity?> FindAsync(TKey key, CancellationToken cancellationToken = default) =>
                Task.FromResult(_items.TryGetValue(key, out var value) ? value : default);

            public Task<IReadOnlyList<TEntity>> ListAsync(Func<TEntity, bool> predicate, CancellationToken cancellationToken = default) =>
                Task.FromResult<IReadOnlyList<TEntity>>(_items.Values.Where(predicate).ToList());

            public Task SaveAsync(TKey key, TEntity entity, CancellationToken cancellationToken = default)
            {
                _items[key] = entity;
                return Task.CompletedTask;
            }

            public Task<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default) =>
                Task.FromResult(_items.TryRemove(key, out _));
        }

        public static class Guard
        {
            private static readonly Regex EmailPattern = new(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.Compiled);

            public static bool IsEmail(string? value) => value is not null && EmailPattern.IsMatch(value);

            public static string NotEmpty(string? value, string name) =>
                string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} must not be empty", name) : value;

            public static decimal NotNegative(decimal value, string name) =>
                value < 0 ? throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative") : value;
        }
        """;

    public static string Dto(string module, string e, Random random)
    {
        var threshold = random.Next(1, 100) * 100;
        return $$"""
            using Contoso.Common;

            namespace Contoso.{{module}}.Models;

            public enum {{e}}Status
            {
                Draft,
                Submitted,
                Approved,
                Rejected,
                Archived,
            }

            public sealed record {{e}}LineDto(int LineNo, string Sku, int Quantity, decimal UnitPrice, string? Note)
            {
                public decimal Amount => Quantity * UnitPrice;
            }

            public sealed record {{e}}Dto(
                Guid Id,
                string Name,
                string Email,
                DateTimeOffset CreatedAt,
                {{e}}Status Status,
                IReadOnlyList<{{e}}LineDto> Lines)
            {
                public decimal Total => Lines.Sum(l => l.Amount);

                public bool IsLarge => Total > {{threshold}}m;

                public int ItemCount => Lines.Sum(l => l.Quantity);
            }

            public sealed class {{e}}Line
            {
                public int LineNo { get; set; }
                public string Sku { get; set; } = string.Empty;
                public int Quantity { get; set; }
                public decimal UnitPrice { get; set; }
                public string? Note { get; set; }
            }

            public sealed class {{e}}
            {
                public Guid Id { get; set; } = Guid.NewGuid();
                public string Name { get; set; } = string.Empty;
                public string Email { get; set; } = string.Empty;
                public string? Phone { get; set; }
                public string Country { get; set; } = "CH";
                public DateTimeOffset CreatedAt { get; set; }
                public DateTimeOffset? UpdatedAt { get; set; }
                public {{e}}Status Status { get; set; }
                public string? RejectionReason { get; set; }
                public int Revision { get; set; }
                public List<{{e}}Line> Lines { get; } = new();
                public Dictionary<string, string> Tags { get; } = new(StringComparer.OrdinalIgnoreCase);

                public decimal Total => Lines.Sum(l => l.Quantity * l.UnitPrice);

                public void Submit(IClock clock)
                {
                    if (Status != {{e}}Status.Draft)
                    {
                        throw new InvalidOperationException($"{{e}} {Id} is {Status}, only a draft can be submitted");
                    }

                    if (Lines.Count == 0)
                    {
                        throw new InvalidOperationException($"{{e}} {Id} has no lines");
                    }

                    Status = {{e}}Status.Submitted;
                    Touch(clock);
                }

                public void Approve(IClock clock)
                {
                    if (Status != {{e}}Status.Submitted)
                    {
                        throw new InvalidOperationException($"{{e}} {Id} is {Status}, not submitted");
                    }

                    Status = {{e}}Status.Approved;
                    Touch(clock);
                }

                public void Reject(IClock clock, string reason)
                {
                    RejectionReason = Guard.NotEmpty(reason, nameof(reason));
                    Status = {{e}}Status.Rejected;
                    Touch(clock);
                }

                public void AddLine(string sku, int quantity, decimal unitPrice, string? note = null)
                {
                    var existing = Lines.FirstOrDefault(l => string.Equals(l.Sku, sku, StringComparison.OrdinalIgnoreCase));
                    if (existing is not null)
                    {
                        existing.Quantity += quantity;
                        return;
                    }

                    Lines.Add(new {{e}}Line
                    {
                        LineNo = Lines.Count == 0 ? 1 : Lines.Max(l => l.LineNo) + 1,
                        Sku = sku.Trim().ToUpperInvariant(),
                        Quantity = quantity,
                        UnitPrice = Guard.NotNegative(unitPrice, nameof(unitPrice)),
                        Note = note,
                    });
                }

                private void Touch(IClock clock)
                {
                    UpdatedAt = clock.UtcNow;
                    Revision++;
                }
            }

            public static class {{e}}Mapping
            {
                public static {{e}}Dto ToDto(this {{e}} entity) =>
                    new(
                        entity.Id,
                        entity.Name,
                        entity.Email,
                        entity.CreatedAt,
                        entity.Status,
                        entity.Lines
                            .OrderBy(l => l.LineNo)
                            .Select(l => new {{e}}LineDto(l.LineNo, l.Sku, l.Quantity, l.UnitPrice, l.Note))
                            .ToList());

                public static {{e}} ToEntity(this {{e}}Dto dto)
                {
                    var entity = new {{e}}
                    {
                        Id = dto.Id,
                        Name = dto.Name,
                        Email = dto.Email,
                        CreatedAt = dto.CreatedAt,
                        Status = dto.Status,
                    };
                    foreach (var line in dto.Lines)
                    {
                        entity.AddLine(line.Sku, line.Quantity, line.UnitPrice, line.Note);
                    }

                    return entity;
                }

                public static IEnumerable<{{e}}Dto> Large(this IEnumerable<{{e}}Dto> items) =>
                    items.Where(i => i.IsLarge).OrderByDescending(i => i.Total).ThenBy(i => i.Name);
            }

            """;
    }

    public static string Service(string module, string e, Random random)
    {
        var pageSize = random.Next(10, 200);
        return $$"""
            using System.Text;
            using Contoso.Common;

            namespace Contoso.{{module}}.Services;

            public sealed record {{e}}Record(Guid Id, string Name, string Email, decimal Balance, DateTimeOffset CreatedAt, bool Active, string Region);

            public sealed record {{e}}Summary(string Region, int Count, decimal Balance, decimal Average);

            public interface I{{e}}Service
            {
                Task<Result<{{e}}Record>> GetAsync(Guid id, CancellationToken cancellationToken = default);
                Task<IReadOnlyList<{{e}}Record>> SearchAsync(string? text, int page, CancellationToken cancellationToken = default);
                Task<Result<{{e}}Record>> CreateAsync(string name, string email, string region, CancellationToken cancellationToken = default);
                Task<IReadOnlyList<{{e}}Summary>> SummarizeAsync(CancellationToken cancellationToken = default);
            }

            public sealed class {{e}}Service : I{{e}}Service
            {
                private const int PageSize = {{pageSize}};
                private readonly IRepository<Guid, {{e}}Record> _repository;
                private readonly IClock _clock;
                private readonly ILog _log;

                public {{e}}Service(IRepository<Guid, {{e}}Record> repository, IClock clock, ILog log)
                {
                    _repository = repository ?? throw new ArgumentNullException(nameof(repository));
                    _clock = clock ?? throw new ArgumentNullException(nameof(clock));
                    _log = log ?? throw new ArgumentNullException(nameof(log));
                }

                public async Task<Result<{{e}}Record>> GetAsync(Guid id, CancellationToken cancellationToken = default)
                {
                    var record = await _repository.FindAsync(id, cancellationToken).ConfigureAwait(false);
                    if (record is null)
                    {
                        _log.Warn($"{{e}} {id} not found");
                        return Result<{{e}}Record>.Fail($"{{e}} {id} not found");
                    }

                    return Result<{{e}}Record>.Ok(record);
                }

                public async Task<IReadOnlyList<{{e}}Record>> SearchAsync(string? text, int page, CancellationToken cancellationToken = default)
                {
                    if (page < 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(page), page, "page must not be negative");
                    }

                    var all = await _repository.ListAsync(r => r.Active, cancellationToken).ConfigureAwait(false);
                    var query = all.AsEnumerable();
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        var needle = text.Trim();
                        query = query.Where(r =>
                            r.Name.Contains(needle, StringComparison.OrdinalIgnoreCase) ||
                            r.Email.Contains(needle, StringComparison.OrdinalIgnoreCase));
                    }

                    return query
                        .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                        .ThenBy(r => r.CreatedAt)
                        .Skip(page * PageSize)
                        .Take(PageSize)
                        .ToList();
                }

                public async Task<Result<{{e}}Record>> CreateAsync(string name, string email, string region, CancellationToken cancellationToken = default)
                {
                    if (string.IsNullOrWhiteSpace(name))
                    {
                        return Result<{{e}}Record>.Fail("name is required");
                    }

                    if (!Guard.IsEmail(email))
                    {
                        return Result<{{e}}Record>.Fail($"'{email}' is not an e-mail address");
                    }

                    var duplicates = await _repository.ListAsync(r => string.Equals(r.Email, email, StringComparison.OrdinalIgnoreCase), cancellationToken).ConfigureAwait(false);
                    if (duplicates.Count > 0)
                    {
                        return Result<{{e}}Record>.Fail($"{email} is already registered as {duplicates[0].Id}");
                    }

                    var record = new {{e}}Record(Guid.NewGuid(), name.Trim(), email.Trim().ToLowerInvariant(), 0m, _clock.UtcNow, true, region);
                    await _repository.SaveAsync(record.Id, record, cancellationToken).ConfigureAwait(false);
                    _log.Info($"created {{e}} {record.Id} ({record.Name})");
                    return Result<{{e}}Record>.Ok(record);
                }

                public async Task<IReadOnlyList<{{e}}Summary>> SummarizeAsync(CancellationToken cancellationToken = default)
                {
                    var all = await _repository.ListAsync(_ => true, cancellationToken).ConfigureAwait(false);
                    return all
                        .GroupBy(r => r.Region)
                        .Select(g => new {{e}}Summary(g.Key, g.Count(), g.Sum(r => r.Balance), g.Average(r => r.Balance)))
                        .OrderByDescending(s => s.Balance)
                        .ToList();
                }

                public async Task<int> DeactivateStaleAsync(TimeSpan age, CancellationToken cancellationToken = default)
                {
                    var cutoff = _clock.UtcNow - age;
                    var stale = await _repository.ListAsync(r => r.Active && r.CreatedAt < cutoff, cancellationToken).ConfigureAwait(false);
                    var count = 0;
                    foreach (var record in stale)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        await _repository.SaveAsync(record.Id, record with { Active = false }, cancellationToken).ConfigureAwait(false);
                        count++;
                    }

                    if (count > 0)
                    {
                        _log.Info($"deactivated {count} stale {{e}} records older than {age}");
                    }

                    return count;
                }

                public async Task<string> ExportCsvAsync(CancellationToken cancellationToken = default)
                {
                    var all = await _repository.ListAsync(_ => true, cancellationToken).ConfigureAwait(false);
                    var sb = new StringBuilder();
                    sb.AppendLine("id,name,email,balance,created,active,region");
                    foreach (var r in all.OrderBy(r => r.CreatedAt))
                    {
                        sb.Append(r.Id).Append(',')
                          .Append(Escape(r.Name)).Append(',')
                          .Append(Escape(r.Email)).Append(',')
                          .Append(r.Balance.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                          .Append(r.CreatedAt.ToString("O")).Append(',')
                          .Append(r.Active ? "1" : "0").Append(',')
                          .AppendLine(Escape(r.Region));
                    }

                    return sb.ToString();
                }

                private static string Escape(string value) =>
                    value.IndexOfAny(new[] { ',', '"', '\n' }) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
            }

            """;
    }

    public static string Validator(string module, string e, Random random)
    {
        var maxName = random.Next(40, 120);
        var maxItems = random.Next(10, 500);
        return $$"""
            using System.Text.RegularExpressions;
            using Contoso.Common;

            namespace Contoso.{{module}}.Validation;

            public sealed class {{e}}Request
            {
                public string? Name { get; init; }
                public string? Email { get; init; }
                public string? Phone { get; init; }
                public string? PostalCode { get; init; }
                public string? Country { get; init; }
                public DateOnly? BirthDate { get; init; }
                public decimal? CreditLimit { get; init; }
                public IReadOnlyList<{{e}}RequestItem> Items { get; init; } = Array.Empty<{{e}}RequestItem>();
            }

            public sealed record {{e}}RequestItem(string? Sku, int Quantity, decimal Price);

            public sealed class {{e}}Validator
            {
                private const int MaxNameLength = {{maxName}};
                private const int MaxItems = {{maxItems}};
                private static readonly Regex Phone = new(@"^\+?[0-9 ()-]{6,20}$", RegexOptions.CultureInvariant);
                private static readonly Regex Sku = new(@"^[A-Z]{2,4}-[0-9]{3,6}$", RegexOptions.CultureInvariant);
                private static readonly HashSet<string> Countries = new(StringComparer.OrdinalIgnoreCase) { "CH", "DE", "FR", "IT", "AT", "US", "GB" };
                private readonly IClock _clock;

                public {{e}}Validator(IClock clock) => _clock = clock;

                public ValidationResult Validate({{e}}Request? request)
                {
                    var result = new ValidationResult();
                    if (request is null)
                    {
                        return result.Add("request", "is required");
                    }

                    ValidateName(request, result);
                    ValidateContact(request, result);
                    ValidateAddress(request, result);
                    ValidateItems(request, result);

                    if (request.BirthDate is { } birth)
                    {
                        var today = DateOnly.FromDateTime(_clock.UtcNow.UtcDateTime);
                        var age = today.Year - birth.Year - (today.DayOfYear < birth.DayOfYear ? 1 : 0);
                        if (age < 18)
                        {
                            result.Add(nameof(request.BirthDate), $"must be at least 18 years old, is {age}");
                        }
                        else if (age > 130)
                        {
                            result.Add(nameof(request.BirthDate), "is not plausible");
                        }
                    }

                    if (request.CreditLimit is < 0)
                    {
                        result.Add(nameof(request.CreditLimit), "must not be negative");
                    }

                    return result;
                }

                private static void ValidateName({{e}}Request request, ValidationResult result)
                {
                    if (string.IsNullOrWhiteSpace(request.Name))
                    {
                        result.Add(nameof(request.Name), "is required");
                    }
                    else if (request.Name.Length > MaxNameLength)
                    {
                        result.Add(nameof(request.Name), $"must be at most {MaxNameLength} characters");
                    }
                    else if (request.Name.Any(char.IsControl))
                    {
                        result.Add(nameof(request.Name), "must not contain control characters");
                    }
                }

                private static void ValidateContact({{e}}Request request, ValidationResult result)
                {
                    if (!Guard.IsEmail(request.Email))
                    {
                        result.Add(nameof(request.Email), $"'{request.Email}' is not an e-mail address");
                    }

                    if (request.Phone is not null && !Phone.IsMatch(request.Phone))
                    {
                        result.Add(nameof(request.Phone), $"'{request.Phone}' is not a phone number");
                    }
                }

                private static void ValidateAddress({{e}}Request request, ValidationResult result)
                {
                    if (request.Country is null || !Countries.Contains(request.Country))
                    {
                        result.Add(nameof(request.Country), $"'{request.Country}' is not supported");
                        return;
                    }

                    var postal = request.PostalCode?.Trim() ?? string.Empty;
                    var ok = request.Country.ToUpperInvariant() switch
                    {
                        "CH" or "AT" => postal.Length == 4 && postal.All(char.IsDigit),
                        "DE" or "FR" or "IT" => postal.Length == 5 && postal.All(char.IsDigit),
                        "US" => postal.Length is 5 or 10,
                        _ => postal.Length > 0,
                    };
                    if (!ok)
                    {
                        result.Add(nameof(request.PostalCode), $"'{postal}' is not a postal code in {request.Country}");
                    }
                }

                private static void ValidateItems({{e}}Request request, ValidationResult result)
                {
                    if (request.Items.Count == 0)
                    {
                        result.Add(nameof(request.Items), "at least one item is required");
                        return;
                    }

                    if (request.Items.Count > MaxItems)
                    {
                        result.Add(nameof(request.Items), $"at most {MaxItems} items");
                    }

                    foreach (var (item, index) in request.Items.Select((item, index) => (item, index)))
                    {
                        if (item.Sku is null || !Sku.IsMatch(item.Sku))
                        {
                            result.Add($"Items[{index}].Sku", $"'{item.Sku}' is not a SKU");
                        }

                        if (item.Quantity <= 0)
                        {
                            result.Add($"Items[{index}].Quantity", "must be positive");
                        }

                        if (item.Price < 0)
                        {
                            result.Add($"Items[{index}].Price", "must not be negative");
                        }
                    }

                    var duplicates = request.Items.Where(i => i.Sku is not null).GroupBy(i => i.Sku!).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                    if (duplicates.Count > 0)
                    {
                        result.Add(nameof(request.Items), "duplicate SKUs: " + string.Join(", ", duplicates));
                    }
                }
            }

            """;
    }

    public static string Report(string module, string e, Random random)
    {
        var top = random.Next(3, 25);
        return $$"""
            using System.Globalization;
            using System.Text;
            using Contoso.Common;

            namespace Contoso.{{module}}.Reports;

            public sealed record {{e}}Fact(string Region, string Category, DateOnly Day, decimal Amount, int Units, string Channel);

            public sealed record {{e}}Row(string Key, decimal Amount, int Units, decimal Share);

            public sealed class {{e}}Report
            {
                private const int Top = {{top}};
                private readonly IReadOnlyList<{{e}}Fact> _facts;

                public {{e}}Report(IEnumerable<{{e}}Fact> facts) => _facts = facts.ToList();

                public decimal Total => _facts.Sum(f => f.Amount);

                public IReadOnlyList<{{e}}Row> ByRegion() => Rank(_facts.GroupBy(f => f.Region));

                public IReadOnlyList<{{e}}Row> ByCategory() => Rank(_facts.GroupBy(f => f.Category));

                public IReadOnlyList<{{e}}Row> ByChannel() => Rank(_facts.GroupBy(f => f.Channel));

                public IReadOnlyDictionary<int, decimal> ByMonth(int year) =>
                    _facts
                        .Where(f => f.Day.Year == year)
                        .GroupBy(f => f.Day.Month)
                        .OrderBy(g => g.Key)
                        .ToDictionary(g => g.Key, g => g.Sum(f => f.Amount));

                public IEnumerable<(DateOnly Day, decimal Amount, decimal Moving)> MovingAverage(int window)
                {
                    if (window <= 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(window), window, "window must be positive");
                    }

                    var days = _facts.GroupBy(f => f.Day).OrderBy(g => g.Key).Select(g => (Day: g.Key, Amount: g.Sum(f => f.Amount))).ToList();
                    var queue = new Queue<decimal>();
                    var sum = 0m;
                    foreach (var (day, amount) in days)
                    {
                        queue.Enqueue(amount);
                        sum += amount;
                        if (queue.Count > window)
                        {
                            sum -= queue.Dequeue();
                        }

                        yield return (day, amount, sum / queue.Count);
                    }
                }

                public (decimal Min, decimal Max, decimal Median) Spread()
                {
                    if (_facts.Count == 0)
                    {
                        return (0m, 0m, 0m);
                    }

                    var sorted = _facts.Select(f => f.Amount).OrderBy(a => a).ToArray();
                    var mid = sorted.Length / 2;
                    var median = sorted.Length % 2 == 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];
                    return (sorted[0], sorted[^1], median);
                }

                public IEnumerable<string> Anomalies(decimal factor)
                {
                    var byCategory = _facts.GroupBy(f => f.Category).ToDictionary(g => g.Key, g => g.Average(f => f.Amount));
                    foreach (var fact in _facts)
                    {
                        if (byCategory.TryGetValue(fact.Category, out var average) && average > 0 && fact.Amount > average * factor)
                        {
                            yield return $"{fact.Day:yyyy-MM-dd} {fact.Region}/{fact.Category}: {fact.Amount} is {fact.Amount / average:F1}x the average";
                        }
                    }
                }

                public string ToMarkdown()
                {
                    var sb = new StringBuilder();
                    sb.AppendLine("# {{e}} report").AppendLine();
                    sb.AppendLine(CultureInfo.InvariantCulture, $"Total: {Total:N2}").AppendLine();
                    Section(sb, "By region", ByRegion());
                    Section(sb, "By category", ByCategory());
                    Section(sb, "By channel", ByChannel());
                    var (min, max, median) = Spread();
                    sb.AppendLine(CultureInfo.InvariantCulture, $"Spread: min {min:N2}, median {median:N2}, max {max:N2}");
                    return sb.ToString();
                }

                private IReadOnlyList<{{e}}Row> Rank(IEnumerable<IGrouping<string, {{e}}Fact>> groups)
                {
                    var total = Total;
                    return groups
                        .Select(g => new {{e}}Row(g.Key, g.Sum(f => f.Amount), g.Sum(f => f.Units), total == 0 ? 0 : g.Sum(f => f.Amount) / total))
                        .OrderByDescending(r => r.Amount)
                        .ThenBy(r => r.Key, StringComparer.Ordinal)
                        .Take(Top)
                        .ToList();
                }

                private static void Section(StringBuilder sb, string title, IReadOnlyList<{{e}}Row> rows)
                {
                    sb.AppendLine("## " + title).AppendLine();
                    sb.AppendLine("| key | amount | units | share |");
                    sb.AppendLine("|---|---:|---:|---:|");
                    foreach (var row in rows)
                    {
                        sb.AppendLine(CultureInfo.InvariantCulture, $"| {row.Key} | {row.Amount:N2} | {row.Units} | {row.Share:P1} |");
                    }

                    sb.AppendLine();
                }
            }

            public static class {{e}}FactParser
            {
                public static IEnumerable<{{e}}Fact> ParseCsv(string csv)
                {
                    using var reader = new StringReader(csv);
                    _ = reader.ReadLine();
                    string? line;
                    var lineNo = 1;
                    while ((line = reader.ReadLine()) is not null)
                    {
                        lineNo++;
                        var parts = line.Split(',');
                        if (parts.Length != 6)
                        {
                            throw new FormatException($"line {lineNo}: expected 6 fields, got {parts.Length}");
                        }

                        yield return new {{e}}Fact(
                            parts[0],
                            parts[1],
                            DateOnly.ParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                            decimal.Parse(parts[3], CultureInfo.InvariantCulture),
                            int.Parse(parts[4], CultureInfo.InvariantCulture),
                            parts[5]);
                    }
                }
            }

            """;
    }

    /// <summary>
    /// A PeerNet consumer: racy and correct sends, user wrappers annotated with PeerNet's attributes,
    /// async RPCs, version checks. <paramref name="variant"/> (0-3) varies the mix.
    /// </summary>
    public static string PeerNetFile(string module, string e, int variant)
    {
        var racyLoop = variant is 0 or 2;
        var wrapper = variant is 1 or 2;
        var checkThenAct = variant is 0 or 3;
        var discarded = variant is 1 or 3;
        return $$"""
            using PeerNet;
            using PeerNet.Annotations;
            using Contoso.Common;

            namespace Contoso.{{module}}.Network;

            public sealed record {{e}}Envelope(Guid Id, string Topic, byte[] Payload, DateTimeOffset SentAt)
            {
                public Message ToMessage()
                {
                    var header = System.Text.Encoding.UTF8.GetBytes(Topic + "\n");
                    var bytes = new byte[header.Length + Payload.Length];
                    header.CopyTo(bytes, 0);
                    Payload.CopyTo(bytes, header.Length);
                    return new Message(bytes);
                }
            }

            public sealed class {{e}}Gossip
            {
                private static readonly IReadOnlyList<ProtocolId> DirectPreferences = new[]
                {
                    ProtocolId.ConsensusDirectSendCompressed,
                    ProtocolId.ConsensusDirectSendBcs,
                    ProtocolId.ConsensusDirectSendJson,
                };

                private static readonly IReadOnlyList<ProtocolId> RpcPreferences = new[]
                {
                    ProtocolId.ConsensusRpcCompressed,
                    ProtocolId.ConsensusRpcBcs,
                    ProtocolId.ConsensusRpcJson,
                };

                private readonly NetworkClient _client;
                private readonly ILog _log;
                private readonly IClock _clock;
                private long _failures;

                public {{e}}Gossip(NetworkClient client, ILog log, IClock clock)
                {
                    _client = client ?? throw new ArgumentNullException(nameof(client));
                    _log = log;
                    _clock = clock;
                }

                public long Failures => Interlocked.Read(ref _failures);

                public long ResetFailures() => Interlocked.Exchange(ref _failures, 0);

                public IReadOnlyList<PeerNetworkId> ConnectedValidators()
                {
                    var snapshot = _client.PeersAndMetadata.GetSnapshot();
                    return snapshot.GetConnectedPeers(NetworkId.Validator)
                        .Where(p => p.Value.IsConnected)
                        .Select(p => p.Key)
                        .OrderBy(p => p.PeerId)
                        .ToList();
                }

            {{(racyLoop ? $$"""
                // Racy (PN0001): the protocol comes from the cached snapshot, the send goes to whatever connection is current.
                public void BroadcastRacy({{e}}Envelope envelope)
                {
                    var message = envelope.ToMessage();
                    foreach (var peer in ConnectedValidators())
                    {
                        var protocol = _client.GetPreferredProtocolForPeer(peer, DirectPreferences);
                        _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);
                    }
                }

                // Racy (PN0001) through the metadata.
                public void SendViaMetadata(PeerNetworkId peer, {{e}}Envelope envelope)
                {
                    var metadata = _client.PeersAndMetadata.GetMetadataForPeer(peer);
                    var protocol = DirectPreferences.First(p => metadata.SupportedProtocols.Contains(p));
                    var sender = _client.GetSenderForNetwork(peer.NetworkId);
                    sender.SendTo(peer.PeerId, protocol, envelope.ToMessage());
                }

            """ : $$"""
                // Correct: one atomic send per peer, failures counted and logged.
                public int Broadcast({{e}}Envelope envelope)
                {
                    var message = envelope.ToMessage();
                    var failed = 0;
                    foreach (var peer in ConnectedValidators())
                    {
                        if (!_client.TrySendWithCurrentProtocol(peer, DirectPreferences, message, out var failure))
                        {
                            failed++;
                            Interlocked.Increment(ref _failures);
                            _log.Warn($"{{e}}: send to {peer} failed: {failure}");
                        }
                    }

                    return failed;
                }

            """)}}
            {{(wrapper ? $$"""
                // The user's own cached read and raw sink, annotated so the analyzer follows them.
                [CachedSnapshotRead]
                private ProtocolId PickProtocol(PeerNetworkId peer) => _client.GetPreferredProtocolForPeer(peer, DirectPreferences);

                private void SendRaw(PeerNetworkId peer, [RequiresCurrentProtocol] ProtocolId protocol, Message message) =>
                    _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, message);

                // Racy (PN0001) through the wrappers.
                public void SendThroughWrappers(PeerNetworkId peer, {{e}}Envelope envelope) =>
                    SendRaw(peer, PickProtocol(peer), envelope.ToMessage());

                // Racy (PN0001) async RPC: the await widens the window.
                public async Task<Message> RequestRacyAsync(PeerNetworkId peer, {{e}}Envelope envelope, CancellationToken cancellationToken)
                {
                    var protocol = _client.GetPreferredProtocolForPeer(peer, RpcPreferences);
                    await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
                    var sender = _client.GetSenderForNetwork(peer.NetworkId);
                    return await sender.SendRpcAsync(peer.PeerId, protocol, envelope.ToMessage(), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                }

            """ : $$"""
                // Correct atomic RPC.
                public async Task<Message?> RequestAsync(PeerNetworkId peer, {{e}}Envelope envelope, CancellationToken cancellationToken)
                {
                    try
                    {
                        return await _client.SendToPeerRpcAsync(envelope.ToMessage(), RpcPreferences, TimeSpan.FromSeconds(5), peer, cancellationToken).ConfigureAwait(false);
                    }
                    catch (PeerNetException ex)
                    {
                        Interlocked.Increment(ref _failures);
                        _log.Warn($"{{e}}: RPC to {peer} failed: {ex.Failure}");
                        return null;
                    }
                }

            """)}}
            {{(checkThenAct ? $$"""
                // Check-then-act (PN0002): the version can change between the check and the send.
                public bool SendIfCurrent(PeerNetworkId peer, {{e}}Envelope envelope)
                {
                    var snapshot = _client.PeersAndMetadata.GetSnapshot();
                    if (!snapshot.TryGetMetadataForPeer(peer, out var metadata) || !metadata.IsConnected)
                    {
                        return false;
                    }

                    var protocol = DirectPreferences.FirstOrDefault(p => metadata.SupportedProtocols.Contains(p));
                    if (_client.PeersAndMetadata.IsCurrent(snapshot.Version))
                    {
                        _client.GetSenderForNetwork(peer.NetworkId).SendTo(peer.PeerId, protocol, envelope.ToMessage());
                        return true;
                    }

                    return false;
                }

            """ : $$"""
                // Correct: the send itself picks the protocol from the current connection.
                public bool SendOne(PeerNetworkId peer, {{e}}Envelope envelope)
                {
                    var ok = _client.TrySendWithCurrentProtocol(peer, envelope.ToMessage(), out var failure);
                    if (!ok)
                    {
                        _log.Warn($"{{e}}: {peer}: {failure}");
                    }

                    return ok;
                }

            """)}}
            {{(discarded ? $$"""
                // PN0003: the result is discarded, a failed send is silent.
                public void FireAndForget(PeerNetworkId peer, {{e}}Envelope envelope) =>
                    _client.TrySendWithCurrentProtocol(peer, envelope.ToMessage(), out _);

            """ : $$"""
                // Correct: throws PeerNetException on failure.
                public void SendOrThrow(PeerNetworkId peer, {{e}}Envelope envelope) =>
                    _client.SendToPeer(envelope.ToMessage(), peer);

            """)}}
                public IReadOnlyDictionary<ProtocolId, int> ProtocolCensus()
                {
                    var census = new Dictionary<ProtocolId, int>();
                    foreach (var peer in ConnectedValidators())
                    {
                        foreach (var protocol in _client.GetSupportedProtocols(peer))
                        {
                            census[protocol] = census.TryGetValue(protocol, out var n) ? n + 1 : 1;
                        }
                    }

                    _log.Info($"{{e}}: census at {_clock.UtcNow:O}: {string.Join(", ", census.Select(kv => $"{kv.Key}={kv.Value}"))}");
                    return census;
                }
            }

            """;
    }

    /// <summary>
    /// The same shape as <see cref="PeerNetFile"/> with the project's own messaging types and no PeerNet:
    /// what the analyzer sees in a project that does not reference PeerNet.
    /// </summary>
    public static string LookAlikeMessagingFile(string module, string e, int variant)
    {
        var broadcast = variant is 0 or 2;
        return $$"""
            using Contoso.Common;

            namespace Contoso.{{module}}.Network;

            public enum {{e}}Channel : byte
            {
                Compressed = 11,
                Binary = 1,
                Json = 6,
            }

            public interface I{{e}}Transport
            {
                void SendTo(string node, {{e}}Channel channel, byte[] payload);
                Task<byte[]> RequestAsync(string node, {{e}}Channel channel, byte[] payload, TimeSpan timeout, CancellationToken cancellationToken = default);
            }

            public sealed record {{e}}Node(string Name, bool Online, IReadOnlySet<{{e}}Channel> Channels);

            public sealed record {{e}}Envelope(Guid Id, string Topic, byte[] Payload, DateTimeOffset SentAt)
            {
                public byte[] ToBytes()
                {
                    var header = System.Text.Encoding.UTF8.GetBytes(Topic + "\n");
                    var bytes = new byte[header.Length + Payload.Length];
                    header.CopyTo(bytes, 0);
                    Payload.CopyTo(bytes, header.Length);
                    return bytes;
                }
            }

            public sealed class {{e}}Gossip
            {
                private static readonly IReadOnlyList<{{e}}Channel> Preferences = new[]
                {
                    {{e}}Channel.Compressed,
                    {{e}}Channel.Binary,
                    {{e}}Channel.Json,
                };

                private readonly I{{e}}Transport _transport;
                private readonly Func<IReadOnlyDictionary<string, {{e}}Node>> _directory;
                private readonly ILog _log;
                private readonly IClock _clock;
                private long _failures;

                public {{e}}Gossip(I{{e}}Transport transport, Func<IReadOnlyDictionary<string, {{e}}Node>> directory, ILog log, IClock clock)
                {
                    _transport = transport ?? throw new ArgumentNullException(nameof(transport));
                    _directory = directory;
                    _log = log;
                    _clock = clock;
                }

                public long Failures => Interlocked.Read(ref _failures);

                public long ResetFailures() => Interlocked.Exchange(ref _failures, 0);

                public IReadOnlyList<string> OnlineNodes() =>
                    _directory().Values.Where(n => n.Online).Select(n => n.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();

                private {{e}}Channel PickChannel(string node)
                {
                    var known = _directory();
                    if (!known.TryGetValue(node, out var info))
                    {
                        throw new InvalidOperationException($"{{e}}: unknown node {node}");
                    }

                    return Preferences.First(c => info.Channels.Contains(c));
                }

            {{(broadcast ? $$"""
                public void Broadcast({{e}}Envelope envelope)
                {
                    var payload = envelope.ToBytes();
                    foreach (var node in OnlineNodes())
                    {
                        var channel = PickChannel(node);
                        _transport.SendTo(node, channel, payload);
                    }
                }

            """ : $$"""
                public int Broadcast({{e}}Envelope envelope)
                {
                    var payload = envelope.ToBytes();
                    var failed = 0;
                    foreach (var node in OnlineNodes())
                    {
                        try
                        {
                            _transport.SendTo(node, PickChannel(node), payload);
                        }
                        catch (InvalidOperationException ex)
                        {
                            failed++;
                            Interlocked.Increment(ref _failures);
                            _log.Warn($"{{e}}: send to {node} failed: {ex.Message}");
                        }
                    }

                    return failed;
                }

            """)}}
                public async Task<byte[]?> RequestAsync(string node, {{e}}Envelope envelope, CancellationToken cancellationToken)
                {
                    var channel = PickChannel(node);
                    await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
                    try
                    {
                        return await _transport.RequestAsync(node, channel, envelope.ToBytes(), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException ex)
                    {
                        Interlocked.Increment(ref _failures);
                        _log.Warn($"{{e}}: request to {node} timed out: {ex.Message}");
                        return null;
                    }
                }

                public bool SendOne(string node, {{e}}Envelope envelope)
                {
                    var known = _directory();
                    if (!known.TryGetValue(node, out var info) || !info.Online)
                    {
                        return false;
                    }

                    var channel = Preferences.FirstOrDefault(c => info.Channels.Contains(c));
                    _transport.SendTo(node, channel, envelope.ToBytes());
                    return true;
                }

                public IReadOnlyDictionary<{{e}}Channel, int> ChannelCensus()
                {
                    var census = new Dictionary<{{e}}Channel, int>();
                    foreach (var node in _directory().Values.Where(n => n.Online))
                    {
                        foreach (var channel in node.Channels)
                        {
                            census[channel] = census.TryGetValue(channel, out var n) ? n + 1 : 1;
                        }
                    }

                    _log.Info($"{{e}}: census at {_clock.UtcNow:O}: {string.Join(", ", census.Select(kv => $"{kv.Key}={kv.Value}"))}");
                    return census;
                }
            }

            """;
    }
}
