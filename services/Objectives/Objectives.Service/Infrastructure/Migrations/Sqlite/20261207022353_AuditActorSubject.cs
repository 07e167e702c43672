using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Objectives.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditActorSubject : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActorSubject",
                table: "audit_records",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActorSubject",
                table: "audit_records");
        }
    }
}
