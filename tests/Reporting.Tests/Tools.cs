using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PerfPlatform.Reporting.Tests;

/// <summary>Debian's poppler-utils (pdftotext, pdftoppm) run on a report, and the CSV read back as Italian Excel would.</summary>
public static partial class Tools
{
    /// <summary>Publishes a message as MassTransit does (its JSON envelope), for a test to replay an event.</summary>
    public static async Task PublishAsync(RabbitMQ.Client.IChannel channel, string exchange, string messageType, System.Text.Json.Nodes.JsonObject message)
    {
        var id = Guid.NewGuid();
        var envelope = new System.Text.Json.Nodes.JsonObject
        {
            ["messageId"] = id, ["messageType"] = new System.Text.Json.Nodes.JsonArray(messageType), ["message"] = message,
            ["sentTime"] = DateTimeOffset.UtcNow,
        };
        var properties = new RabbitMQ.Client.BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = id.ToString(), Persistent = true };
        await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, Encoding.UTF8.GetBytes(envelope.ToJsonString()));
    }

    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr}");
        return stdout.Result;
    }

    /// <summary>The PDF's text with runs of white space made one space (a name may wrap inside a cell).</summary>
    public static string PdfText(string pdf) => Spaces().Replace(Run("pdftotext", pdf, "-"), " ");

    [GeneratedRegex(@"\s+")]
    public static partial Regex Spaces();

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"perf-reporting-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static decimal? Italian(string cell) =>
        cell is "" or "/" ? null : decimal.Parse(cell, NumberStyles.Number, CultureInfo.GetCultureInfo("it-IT"));
}
