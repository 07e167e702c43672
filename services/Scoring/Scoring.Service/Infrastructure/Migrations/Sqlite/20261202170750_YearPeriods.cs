using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Scoring.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class YearPeriods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "year_periods",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    StateVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    MonitoringScorecardJson = table.Column<string>(type: "TEXT", nullable: true),
                    MonitoringScoreVersion = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_year_periods", x => x.Year);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "year_periods");
        }
    }
}
