using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Objectives.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VersionCheckInDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "VersionBase",
                table: "plan_years",
                type: "INTEGER",
                nullable: true);

            // The database refuses an update of a year made from another version than the row's (BuildingBlocks' VersionCheck).
            // Written out here, not built by VersionCheck: a migration must not change when that code does.
            migrationBuilder.Sql("""
                CREATE TRIGGER "plan_years_version_check" BEFORE UPDATE OF "VersionBase" ON "plan_years"
                WHEN NEW."VersionBase" IS NOT OLD."Version"
                BEGIN SELECT RAISE(ABORT, 'version conflict: plan_years moved on since the writer read it'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "plan_years_version_check";
                """);
            migrationBuilder.DropColumn(
                name: "VersionBase",
                table: "plan_years");
        }
    }
}
