using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Scoring.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VersionCheckInDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ScoreVersionBase",
                table: "scored_years",
                type: "INTEGER",
                nullable: true);

            // The database refuses an update of a year made from another version than the row's (BuildingBlocks' VersionCheck).
            // Written out here, not built by VersionCheck: a migration must not change when that code does.
            migrationBuilder.Sql("""
                CREATE TRIGGER "scored_years_version_check" BEFORE UPDATE OF "ScoreVersionBase" ON "scored_years"
                WHEN NEW."ScoreVersionBase" IS NOT OLD."ScoreVersion"
                BEGIN SELECT RAISE(ABORT, 'version conflict: scored_years moved on since the writer read it'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "scored_years_version_check";
                """);
            migrationBuilder.DropColumn(
                name: "ScoreVersionBase",
                table: "scored_years");
        }
    }
}
