using Microsoft.EntityFrameworkCore.Migrations;
using PerfPlatform.BuildingBlocks.Persistence;

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
            migrationBuilder.Sql(VersionCheck.SqliteTrigger("scored_years", "ScoreVersion", "ScoreVersionBase"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(VersionCheck.DropSqliteTrigger("scored_years"));
            migrationBuilder.DropColumn(
                name: "ScoreVersionBase",
                table: "scored_years");
        }
    }
}
